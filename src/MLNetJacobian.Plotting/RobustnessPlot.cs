using MLNetJacobian.IO;
using MLNetJacobian.Robustness;
using ScottPlot;
using SkiaSharp;

namespace MLNetJacobian.Plotting;

/// <summary>
/// Draws a <see cref="RobustnessReport"/> as a PNG with ScottPlot: one panel per norm (and one for noise scales), robust
/// accuracy against epsilon, one line per attack (solid white-box, dashed black-box), the per-example worst case thick
/// in grey underneath, and the chance level dotted. Every curve starts at epsilon 0 with the clean accuracy.
/// </summary>
public static class RobustnessPlot
{
    // Category10 without its grey, with its brown last: the sixth curve of a panel (the Square attack after noise,
    // FGSM, PGD and APGD) was brown, too close to the grey worst-case line it runs along.
    private static readonly Color[] Palette =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28),
        new(0x94, 0x67, 0xbd), new(0x17, 0xbe, 0xcf), new(0xe3, 0x77, 0xc2), new(0xbc, 0xbd, 0x22), new(0x8c, 0x56, 0x4b),
    ];

    /// <summary>
    /// Draws accuracy against epsilon as a PNG file: one line per attack and a thick one per norm for the worst case;
    /// one panel per norm, plus one for noise attacks measured by their noise scale. The file is written to a temporary
    /// file beside it, then renamed.
    /// </summary>
    /// <param name="report">The report to draw.</param>
    /// <param name="path">The destination file.</param>
    /// <param name="overwrite">Replace an existing file (the default, as <c>mlContext.Model.Save</c> does; the write is atomic, so a failure leaves the old file whole); false to refuse one.</param>
    /// <param name="width">Width in pixels of each panel (at least 200).</param>
    /// <param name="height">Height in pixels (at least 200).</param>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is below 200.</exception>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
    public static void SavePlot(this RobustnessReport report, string path, bool overwrite = true, int width = 720, int height = 520)
    {
        Validate(report, width, height);
        AtomicFile.Write(path, overwrite, stream => WritePng(report, stream, width, height));
    }

    /// <summary>The same picture as <see cref="SavePlot"/>, as PNG bytes.</summary>
    /// <param name="report">The report to draw.</param>
    /// <param name="width">Width in pixels of each panel (at least 200).</param>
    /// <param name="height">Height in pixels (at least 200).</param>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is below 200.</exception>
    public static byte[] ToPng(this RobustnessReport report, int width = 720, int height = 520)
    {
        Validate(report, width, height);
        using var stream = new MemoryStream();
        WritePng(report, stream, width, height);
        return stream.ToArray();
    }

    private static void Validate(RobustnessReport report, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (width < 200) throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be at least 200 pixels.");
        if (height < 200) throw new ArgumentOutOfRangeException(nameof(height), height, "The height must be at least 200 pixels.");
    }

    private static void WritePng(RobustnessReport report, Stream stream, int width, int height)
    {
        var groups = report.Attacks.GroupBy(a => a.Norm).OrderBy(g => g.Key is null).ToList();
        int panels = Math.Max(1, groups.Count);
        using var surface = SKSurface.Create(new SKImageInfo(panels * width, height));
        surface.Canvas.Clear(SKColors.White);
        IEnumerable<Plot> plots = groups.Count == 0
            ? [NewPlot(report, "no attack ran")]
            : groups.Select(g => BuildPanel(report, g.Key, g.ToList()));
        int left = 0;
        foreach (Plot plot in plots)
        {
            // Each panel is rendered on its own, then drawn side by side.
            byte[] png = plot.GetImage(width, height).GetImageBytes(ImageFormat.Png);
            using SKBitmap panel = SKBitmap.Decode(png);
            surface.Canvas.DrawBitmap(panel, left, 0);
            left += width;
        }

        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        data.SaveTo(stream);
    }

    private static Plot NewPlot(RobustnessReport report, string title)
    {
        var plot = new Plot();
        string model = report.Model.Length > 70 ? report.Model[..67] + "..." : report.Model;
        plot.Title($"{title}\n{model}", size: 13);
        plot.YLabel("robust accuracy (%)");
        return plot;
    }

    private static Plot BuildPanel(RobustnessReport report, string? norm, List<RobustnessReport.AttackCurve> curves)
    {
        Plot plot = NewPlot(report, norm is null ? "Accuracy under random noise" : $"Accuracy under attack, {norm}");
        plot.XLabel(norm is null ? "noise standard deviation sigma" : $"epsilon ({norm} radius)");
        double largest = curves.SelectMany(c => c.Points).Select(p => p.Strength).DefaultIfEmpty(1).Max();
        if (report.WorstCase.FirstOrDefault(w => w.Norm == norm) is { } worst && curves.Count > 1)
        {
            double[] xs = [0, .. worst.Points.Select(p => p.Epsilon)];
            double[] ys = [100 * report.CleanAccuracy, .. worst.Points.Select(p => 100 * p.RobustAccuracy)];
            // Drawn first, underneath, so the attack curves it follows stay visible on top.
            var line = plot.Add.Scatter(xs, ys, Colors.Black.WithAlpha(0.55));
            line.LegendText = "worst case per example";
            line.LineWidth = 6;
            line.MarkerSize = 8;
        }

        for (int i = 0; i < curves.Count; i++)
        {
            RobustnessReport.AttackCurve curve = curves[i];
            double[] xs = [0, .. curve.Points.Select(p => p.Strength)];
            double[] ys = [100 * report.CleanAccuracy, .. curve.Points.Select(p => 100 * p.RobustAccuracy)];
            var line = plot.Add.Scatter(xs, ys, Palette[i % Palette.Length]);
            line.LegendText = curve.RequiresGradient ? curve.Name : curve.Name + " (black-box)";
            line.LineWidth = 2;
            line.MarkerSize = 6;
            if (!curve.RequiresGradient) line.LinePattern = LinePattern.Dashed;
        }

        var chance = plot.Add.HorizontalLine(100.0 / report.ClassCount, 1.5f, Colors.Gray, LinePattern.Dotted);
        chance.LegendText = "chance";
        plot.Axes.SetLimits(-0.02 * largest, 1.04 * largest, -2, 102);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }
}
