using MLNetJacobian.Robustness;
using ScottPlot;
using SkiaSharp;

namespace MLNetJacobian.Plotting;

/// <summary>
/// Several models' robustness in one PNG: one panel per attack (accuracy against its strength) and one for the
/// per-example worst case over the L-inf attacks, one line per model, the same color for a model in every panel, under
/// a title naming the models.
/// </summary>
public static class RobustnessComparisonPlot
{
    private const int TitleBand = 40;

    /// <summary>Renders the figure as PNG bytes.</summary>
    /// <param name="evaluations">Each model's name and robustness report, in legend order.</param>
    /// <param name="panelWidth">Width of each panel in pixels (at least 200).</param>
    /// <param name="height">Height in pixels (at least 200).</param>
    /// <exception cref="ArgumentNullException"><paramref name="evaluations"/> or one of its reports is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="evaluations"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="panelWidth"/> or <paramref name="height"/> is below 200.</exception>
    public static byte[] ToPng(IReadOnlyList<(string Name, RobustnessReport Report)> evaluations, int panelWidth = 460, int height = 420)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        if (evaluations.Count == 0) throw new ArgumentException("At least one model is needed.", nameof(evaluations));
        if (evaluations.Any(e => e.Report is null)) throw new ArgumentNullException(nameof(evaluations), "Every model needs a report.");
        if (panelWidth < 200) throw new ArgumentOutOfRangeException(nameof(panelWidth), panelWidth, "The panel width must be at least 200 pixels.");
        if (height < 200) throw new ArgumentOutOfRangeException(nameof(height), height, "The height must be at least 200 pixels.");
        List<string> attacks = evaluations.SelectMany(e => e.Report.Attacks).Select(a => a.Name).Distinct().ToList();
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
                RobustnessReport report = evaluations[m].Report;
                RobustnessReport.AttackCurve? curve = report.Attacks.FirstOrDefault(c => c.Name == attacks[a]);
                if (curve is null) continue;
                norm = curve.Norm;
                AddLine(plot, [0, .. curve.Points.Select(p => p.Strength)], [report.CleanAccuracy, .. curve.Points.Select(p => p.RobustAccuracy)],
                    evaluations[m].Name, palette.GetColor(m));
            }

            Decorate(plot, attacks[a], norm is null ? "noise standard deviation sigma" : $"epsilon ({norm})");
        }

        Plot worst = multiplot.GetPlot(attacks.Count);
        for (int m = 0; m < evaluations.Count; m++)
        {
            RobustnessReport report = evaluations[m].Report;
            RobustnessReport.WorstCaseCurve? curve = report.WorstCase.FirstOrDefault(w => w.Norm == PerturbationNorm.LInfinity.Name);
            if (curve is null) continue;
            AddLine(worst, [0, .. curve.Points.Select(p => p.Epsilon)], [report.CleanAccuracy, .. curve.Points.Select(p => p.RobustAccuracy)],
                evaluations[m].Name, palette.GetColor(m));
        }

        Decorate(worst, "worst case over L-inf attacks", "epsilon (L-inf)");
        byte[] panels = multiplot.Render(panelWidth * (attacks.Count + 1), height - TitleBand).GetImageBytes(ImageFormat.Png);
        return WithTitle(panels, Title(evaluations));
    }

    /// <summary>What the figure compares: the models and the examples they were attacked on.</summary>
    private static string Title(IReadOnlyList<(string Name, RobustnessReport Report)> evaluations)
    {
        var counts = evaluations.Select(e => e.Report.ExampleCount).Distinct().ToList();
        string examples = counts.Count == 1 ? $"{counts[0]} example{(counts[0] == 1 ? "" : "s")} each" : "examples: " + string.Join(", ", counts);
        return $"Accuracy under attack and noise: {string.Join(" vs ", evaluations.Select(e => e.Name))} ({examples})";
    }

    /// <summary>The panels under a title band across the whole figure.</summary>
    private static byte[] WithTitle(byte[] panels, string title)
    {
        using SKBitmap bitmap = SKBitmap.Decode(panels);
        using var surface = SKSurface.Create(new SKImageInfo(bitmap.Width, bitmap.Height + TitleBand));
        surface.Canvas.Clear(SKColors.White);
        using (SKFont font = FigureText.Font(18, bold: true))
        {
            FigureText.Draw(surface.Canvas, title, bitmap.Width / 2f, 27, font, SKColors.Black, SKTextAlign.Center);
        }

        surface.Canvas.DrawBitmap(bitmap, 0, TitleBand);
        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
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
