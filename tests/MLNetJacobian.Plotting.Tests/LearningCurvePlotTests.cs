using MLNetJacobian.Training;
using SkiaSharp;

namespace MLNetJacobian.Plotting.Tests;

public class LearningCurvePlotTests
{
    private static TrainingHistory History(double penalty) => new(
        Enumerable.Range(1, 4).Select(e => new EpochMetrics(e, 1.0 / e + penalty, 1.0 / e, penalty, 0.5 + 0.1 * e, 0.45 + 0.1 * e, 1.1 / e,
            penalty > 0 ? 2.0 / e : double.NaN, 1000, 0.05, TimeSpan.FromSeconds(e))).ToList(),
        BestEpoch: 4, StoppedEarly: false, ParametersFromEpoch: 4);

    [Fact]
    public void ToPng_TwoRuns_ImageOfTheRequestedSize()
    {
        using SKBitmap bitmap = SKBitmap.Decode(LearningCurvePlot.ToPng([("lambda 0", History(0)), ("lambda 0.1", History(0.05))], width: 900, height: 300));

        Assert.Equal(900, bitmap.Width);
        Assert.Equal(300, bitmap.Height);
    }

    [Fact]
    public void ToPng_NoRun_ThrowsNamingRuns()
    {
        var error = Assert.Throws<ArgumentException>(() => LearningCurvePlot.ToPng([]));
        Assert.Equal("runs", error.ParamName);
    }
}
