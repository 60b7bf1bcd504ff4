using MLNetJacobian.Models;
using MLNetJacobian.Robustness;
using SkiaSharp;

namespace MLNetJacobian.Plotting.Tests;

public class RegressionRobustnessComparisonPlotTests
{
    [Fact]
    public void ToPng_ANetworkAndATree_OnePanelPerAttackThatRan()
    {
        // The network ran both attacks, the tree only the black-box search: two panels, the tree absent from PGD's.
        var evaluations = new[]
        {
            ("network", Report(Curve("Square-100 L-inf", AttackKind.BlackBox), Curve("PGD-10 L-inf", AttackKind.Gradient))),
            ("tree", Report(Curve("Square-100 L-inf", AttackKind.BlackBox))),
        };

        using SKBitmap bitmap = SKBitmap.Decode(RegressionRobustnessComparisonPlot.ToPng(evaluations, "fare ($)", panelWidth: 250, height: 220));

        Assert.Equal(2 * 250, bitmap.Width);
        Assert.Equal(220, bitmap.Height);
    }

    [Fact]
    public void ToPng_ErrorObjectiveCurves_AreNotPanels()
    {
        // The figure shows the prediction change; a curve that maximized the error is the same attack's other objective.
        var report = Report(Curve("Square-100 L-inf", AttackKind.BlackBox), Curve("Square-100 L-inf", AttackKind.BlackBox, RegressionObjective.Error));

        using SKBitmap bitmap = SKBitmap.Decode(RegressionRobustnessComparisonPlot.ToPng([("model", report)], "y", panelWidth: 250, height: 220));

        Assert.Equal(250, bitmap.Width);
    }

    [Fact]
    public void ToPng_NoModel_ThrowsNamingEvaluations()
    {
        var error = Assert.Throws<ArgumentException>(() => RegressionRobustnessComparisonPlot.ToPng([], "y"));
        Assert.Equal("evaluations", error.ParamName);
    }

    private static RegressionRobustnessReport.AttackCurve Curve(string name, AttackKind kind, RegressionObjective objective = RegressionObjective.PredictionChange) =>
        new(name, PerturbationNorm.LInfinity.Name, kind, objective, new Dictionary<string, string>(),
            [.. new[] { 0.05, 0.1 }.Select(e => new RegressionRobustnessReport.AttackPoint(e, 1 + e, 0.5 + e, new DistributionSummary(10, e, 0, 0, 0.5 * e, e, 1.5 * e, 2 * e, 3 * e, 0), 100, 0, 0.1))]);

    private static RegressionRobustnessReport Report(params RegressionRobustnessReport.AttackCurve[] curves) =>
        new("model", 10, 3, 1.0, 0.5, curves, [], [],
            new RobustnessConfiguration(float.NegativeInfinity, float.PositiveInfinity, [0.05f, 0.1f], 1, null, 256, 1, BisectionSteps: null, 200, 0.02,
                "Features", "Label", "given", "given", new Dictionary<string, string>()) { PerturbationSpace = "every feature moves" },
            TimeSpan.FromSeconds(1));
}
