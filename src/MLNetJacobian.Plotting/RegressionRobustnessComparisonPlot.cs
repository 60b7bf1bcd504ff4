using MLNetJacobian.Robustness;
using ScottPlot;

namespace MLNetJacobian.Plotting;

/// <summary>
/// Several regression models under the same attacks in one PNG: one panel per attack, the mean prediction change
/// <c>|f(x + d) - f(x)|</c> (label units) against epsilon, one line per model (the same color in every panel); a model the
/// attack skipped (no gradient) has no line there.
/// </summary>
public static class RegressionRobustnessComparisonPlot
{
    /// <summary>Renders the figure as PNG bytes.</summary>
    /// <param name="evaluations">Each model's name and regression robustness report, in legend order.</param>
    /// <param name="outputLabel">The prediction's name and units, for the y axis (for example "fare ($)").</param>
    /// <param name="epsilonLabel">What epsilon measures, for the x axis (for example "epsilon, training standard deviations"); the norm is appended.</param>
    /// <param name="panelWidth">Width of each panel in pixels (at least 200).</param>
    /// <param name="height">Height in pixels (at least 200).</param>
    /// <exception cref="ArgumentNullException"><paramref name="evaluations"/>, one of its reports, <paramref name="outputLabel"/> or <paramref name="epsilonLabel"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="evaluations"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="panelWidth"/> or <paramref name="height"/> is below 200.</exception>
    public static byte[] ToPng(IReadOnlyList<(string Name, RegressionRobustnessReport Report)> evaluations, string outputLabel, string epsilonLabel = "epsilon",
        int panelWidth = 520, int height = 440)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        ArgumentNullException.ThrowIfNull(outputLabel);
        ArgumentNullException.ThrowIfNull(epsilonLabel);
        if (evaluations.Count == 0) throw new ArgumentException("At least one model is needed.", nameof(evaluations));
        if (evaluations.Any(e => e.Report is null)) throw new ArgumentNullException(nameof(evaluations), "Every model needs a report.");
        if (panelWidth < 200) throw new ArgumentOutOfRangeException(nameof(panelWidth), panelWidth, "The panel width must be at least 200 pixels.");
        if (height < 200) throw new ArgumentOutOfRangeException(nameof(height), height, "The height must be at least 200 pixels.");
        var panels = evaluations.SelectMany(e => e.Report.Attacks).Where(a => a.Objective != RegressionObjective.Error)
            .Select(a => (a.Name, a.Norm)).Distinct().ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(Math.Max(1, panels.Count));
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var palette = new ScottPlot.Palettes.Category10();
        for (int a = 0; a < panels.Count; a++)
        {
            Plot plot = multiplot.GetPlot(a);
            for (int m = 0; m < evaluations.Count; m++)
            {
                RegressionRobustnessReport.AttackCurve? curve = evaluations[m].Report.Attacks
                    .FirstOrDefault(c => c.Name == panels[a].Name && c.Objective != RegressionObjective.Error);
                if (curve is null) continue;
                double[] xs = [0, .. curve.Points.Select(p => p.Strength)], ys = [0, .. curve.Points.Select(p => p.Change.Mean)];
                var line = plot.Add.Scatter(xs, ys, palette.GetColor(m));
                line.LegendText = evaluations[m].Name;
                line.LineWidth = 2;
                line.MarkerSize = 6;
            }

            plot.Title(panels[a].Name);
            plot.XLabel(panels[a].Norm is null ? "noise standard deviation sigma" : $"{epsilonLabel} ({panels[a].Norm})");
            plot.YLabel($"mean |change| of {outputLabel}");
            if (plot.GetPlottables().Any()) plot.ShowLegend(Alignment.UpperLeft);
            else plot.Add.Annotation("skipped for every model", Alignment.MiddleCenter);
        }

        return multiplot.Render(panelWidth * Math.Max(1, panels.Count), height).GetImageBytes(ImageFormat.Png);
    }
}
