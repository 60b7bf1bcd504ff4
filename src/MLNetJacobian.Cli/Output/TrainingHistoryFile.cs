using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetJacobian.Training;

namespace MLNetJacobian.Cli.Output;

/// <summary>The training history as JSON: one record per epoch (NaN and missing figures are null), and the run's settings.</summary>
internal static class TrainingHistoryFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The JSON text.</summary>
    /// <param name="history">The trainer's history.</param>
    /// <param name="settings">The run's settings and results (name to value), written as they are.</param>
    public static string ToJson(TrainingHistory history, IReadOnlyDictionary<string, object?> settings)
    {
        var document = new Dictionary<string, object?>
        {
            ["run"] = settings,
            ["bestEpoch"] = history.BestEpoch,
            ["stoppedEarly"] = history.StoppedEarly,
            ["parametersFromEpoch"] = history.ParametersFromEpoch,
            ["epochs"] = history.Epochs.Select(e => new Dictionary<string, object?>
            {
                ["epoch"] = e.Epoch,
                ["loss"] = Finite(e.Loss),
                ["crossEntropy"] = Finite(e.DataLoss),
                ["penalty"] = Finite(e.Penalty),
                ["trainingAccuracy"] = Finite(e.TrainingAccuracy),
                ["validationAccuracy"] = e.ValidationAccuracy is double v ? Finite(v) : null,
                ["validationLoss"] = e.ValidationLoss is double l ? Finite(l) : null,
                ["rmsJacobianNormEstimate"] = Finite(e.RmsJacobianNormEstimate),
                ["examplesPerSecond"] = Finite(e.ExamplesPerSecond),
                ["learningRate"] = Finite(e.LearningRate),
                ["elapsedSeconds"] = e.Elapsed.TotalSeconds,
            }).ToList(),
        };
        return JsonSerializer.Serialize(document, Json);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
