using System.Globalization;
using Microsoft.ML.Runtime;
using MLNetJacobian.Training;

namespace MLNetJacobian.Trainers;

/// <summary>Writes each epoch's metrics to an ML.NET channel, so they reach <c>MLContext.Log</c> as trainers' messages do.</summary>
/// <param name="channel">The channel.</param>
/// <param name="totalEpochs">The number of epochs planned.</param>
/// <param name="dataLossName">How the lines name the data loss, e.g. "cross-entropy" or "squared error".</param>
internal sealed class ChannelEpochLogger(IChannel channel, int totalEpochs, string dataLossName = "cross-entropy") : IProgress<EpochMetrics>
{
    public void Report(EpochMetrics value) => channel.Info(MessageSensitivity.None, Format(value, totalEpochs, dataLossName));

    /// <summary>One line per epoch, invariant culture; accuracies only where the task has them (not for regression).</summary>
    public static string Format(EpochMetrics value, int totalEpochs, string dataLossName = "cross-entropy")
    {
        string validation = value.ValidationLoss is not double validationLoss
            ? string.Empty
            : value.ValidationAccuracy is double accuracy
                ? string.Create(CultureInfo.InvariantCulture, $", validation accuracy {accuracy:P2}, validation loss {validationLoss:F4}")
                : string.Create(CultureInfo.InvariantCulture, $", validation {dataLossName} {validationLoss:F4}");
        string training = double.IsNaN(value.TrainingAccuracy)
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $", training accuracy {value.TrainingAccuracy:P2}");
        // NaN: the objective did not estimate the norm (lambda 0); "NaN" on a log line reads as a failure.
        string norm = double.IsNaN(value.RmsJacobianNormEstimate)
            ? "mean ||J||_F not estimated (lambda 0)"
            : string.Create(CultureInfo.InvariantCulture, $"rms ||J||_F estimate {value.RmsJacobianNormEstimate:F3}");
        return string.Create(CultureInfo.InvariantCulture,
            $"Epoch {value.Epoch}/{totalEpochs}: loss {value.Loss:F4}, {dataLossName} {value.DataLoss:F4}, penalty {value.Penalty:F4}" +
            $"{training}{validation}, {norm}, " +
            $"{value.ExamplesPerSecond:F0} examples/s, learning rate {value.LearningRate:G4}, elapsed {value.Elapsed.TotalSeconds:F1} s.");
    }
}
