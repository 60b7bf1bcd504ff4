using System.Globalization;
using Microsoft.ML.Runtime;
using MLNetJacobian.Training;

namespace MLNetJacobian.Trainers;

/// <summary>Writes each epoch's metrics to an ML.NET channel, so they reach <c>MLContext.Log</c> as trainers' messages do.</summary>
internal sealed class ChannelEpochLogger(IChannel channel, int totalEpochs) : IProgress<EpochMetrics>
{
    public void Report(EpochMetrics value) => channel.Info(MessageSensitivity.None, Format(value, totalEpochs));

    /// <summary>One line per epoch, invariant culture.</summary>
    public static string Format(EpochMetrics value, int totalEpochs)
    {
        string validation = value.ValidationAccuracy is double accuracy
            ? string.Create(CultureInfo.InvariantCulture, $", validation accuracy {accuracy:P2}, validation loss {value.ValidationLoss:F4}")
            : string.Empty;
        // NaN: the objective did not estimate the norm (lambda 0); "NaN" on a log line reads as a failure.
        string norm = double.IsNaN(value.RmsJacobianNormEstimate)
            ? "mean ||J||_F not estimated (lambda 0)"
            : string.Create(CultureInfo.InvariantCulture, $"rms ||J||_F estimate {value.RmsJacobianNormEstimate:F3}");
        return string.Create(CultureInfo.InvariantCulture,
            $"Epoch {value.Epoch}/{totalEpochs}: loss {value.Loss:F4}, cross-entropy {value.CrossEntropy:F4}, penalty {value.Penalty:F4}, " +
            $"training accuracy {value.TrainingAccuracy:P2}{validation}, {norm}, " +
            $"{value.ExamplesPerSecond:F0} examples/s, learning rate {value.LearningRate:G4}, elapsed {value.Elapsed.TotalSeconds:F1} s.");
    }
}
