using SkiaSharp;

namespace MLNetJacobian.Plotting.Tests;

public class RobustnessComparisonPlotTests
{
    [Fact]
    public void ToPng_TwoModels_OnePanelPerAttackPlusTheWorstCase()
    {
        var evaluations = new[] { ("maximum entropy", ReportFixtures.MaximumEntropy), ("LightGbm", ReportFixtures.LightGbm) };
        int attacks = evaluations.SelectMany(e => e.Item2.Attacks).Select(a => a.Name).Distinct().Count();

        using SKBitmap bitmap = SKBitmap.Decode(RobustnessComparisonPlot.ToPng(evaluations, panelWidth: 250, height: 220));

        Assert.Equal((attacks + 1) * 250, bitmap.Width);
        Assert.Equal(220, bitmap.Height);
    }

    [Fact]
    public void ToPng_NoModel_ThrowsNamingEvaluations()
    {
        var error = Assert.Throws<ArgumentException>(() => RobustnessComparisonPlot.ToPng([]));
        Assert.Equal("evaluations", error.ParamName);
    }
}
