using MLNetJacobian.Trainers;
using MLNetJacobian.Training;

namespace MLNetJacobian.Tests.Trainers;

public class ChannelEpochLoggerTests
{
    [Fact]
    public void Format_NormNotEstimated_SaysSoInsteadOfNaN()
    {
        var metrics = new EpochMetrics(2, 0.5, 0.5, 0, 0.9, null, null, double.NaN, 1000, 0.01, TimeSpan.FromSeconds(1.5));

        string line = ChannelEpochLogger.Format(metrics, 5);

        Assert.Equal("Epoch 2/5: loss 0.5000, cross-entropy 0.5000, penalty 0.0000, training accuracy 90.00 %, mean ||J||_F not estimated (lambda 0), " +
            "1000 examples/s, learning rate 0.01, elapsed 1.5 s.", line);
    }

    [Fact]
    public void Format_NormEstimated_PrintsItWithThreeDecimals()
    {
        var metrics = new EpochMetrics(1, 1.25, 1, 0.25, 0.5, 0.75, 1.1, 2.5, 500, 0.1, TimeSpan.FromSeconds(0.25));

        string line = ChannelEpochLogger.Format(metrics, 1);

        Assert.Contains("validation accuracy 75.00 %, validation loss 1.1000, rms ||J||_F estimate 2.500, 500 examples/s", line, StringComparison.Ordinal);
    }
}
