using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Robustness;
using ScottPlot;

namespace MLNetJacobian.Cli.Output;

/// <summary>
/// Several models' robustness in one PNG: one panel per attack (accuracy against its strength) and one for the
/// per-example worst case over the L-inf attacks, one line per model, the same color for a model in every panel.
/// </summary>
internal static class RobustnessComparisonPlot
{
    /// <summary>Renders the figure.</summary>
    /// <param name="evaluations">The models.</param>
    /// <param name="panelWidth">Width of each panel in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static byte[] Render(IReadOnlyList<ModelEvaluation> evaluations, int panelWidth = 460, int height = 420)
    {
        List<string> attacks = evaluations.SelectMany(e => e.Robustness.Attacks).Select(a => a.Name).Distinct().ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(attacks.Count + 1);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var palette = new ScottPlot.Palettes.Category10();
        for (int a = 0; a < attacks.Count; a++)
        {
            Plot plot = multiplot.GetPlot(a);
            string? norm = null;
            for (int m = 0; m < evaluations.Count; m++)
            {
                RobustnessReport report = evaluations[m].Robustness;
                AttackCurve? curve = report.Attacks.FirstOrDefault(c => c.Name == attacks[a]);
                if (curve is null) continue;
                norm = curve.Norm;
                AddLine(plot, [0, .. curve.Points.Select(p => p.Strength)], [report.CleanAccuracy, .. curve.Points.Select(p => p.RobustAccuracy)],
                    evaluations[m].Model.Name, palette.GetColor(m));
            }

            Decorate(plot, attacks[a], norm is null ? "noise standard deviation sigma" : $"epsilon ({norm})");
        }

        Plot worst = multiplot.GetPlot(attacks.Count);
        for (int m = 0; m < evaluations.Count; m++)
        {
            RobustnessReport report = evaluations[m].Robustness;
            WorstCaseCurve? curve = report.WorstCase.FirstOrDefault(w => w.Norm == PerturbationNorm.LInfinity.Name);
            if (curve is null) continue;
            AddLine(worst, [0, .. curve.Points.Select(p => p.Epsilon)], [report.CleanAccuracy, .. curve.Points.Select(p => p.RobustAccuracy)],
                evaluations[m].Model.Name, palette.GetColor(m));
        }

        Decorate(worst, "worst case over L-inf attacks", "epsilon (L-inf)");
        return multiplot.Render(panelWidth * (attacks.Count + 1), height).GetImageBytes(ImageFormat.Png);
    }

    private static void AddLine(Plot plot, double[] xs, double[] ys, string label, Color color)
    {
        var scatter = plot.Add.Scatter(xs, ys.Select(y => 100 * y).ToArray(), color);
        scatter.LegendText = label;
        scatter.LineWidth = 2;
        scatter.MarkerSize = 6;
    }

    private static void Decorate(Plot plot, string title, string xLabel)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("accuracy (%)");
        plot.Axes.SetLimitsY(0, 100);
        if (plot.GetPlottables().Any())
        {
            plot.ShowLegend(Alignment.LowerLeft);
        }
        else
        {
            plot.Add.Annotation("skipped for every model", Alignment.MiddleCenter);
        }
    }
}
