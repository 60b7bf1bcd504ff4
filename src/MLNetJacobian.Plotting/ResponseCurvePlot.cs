using MLNetJacobian.Analysis;
using MLNetJacobian.IO;
using ScottPlot;

namespace MLNetJacobian.Plotting;

/// <summary>
/// Draws a <see cref="ResponseCurve"/> as a PNG with ScottPlot: one line per model (the prediction as one feature moves,
/// the others at an example's values), so a network's smooth curve sits beside a tree's steps; the example's value is
/// a dotted vertical line and each model's prediction there a marker.
/// </summary>
public static class ResponseCurvePlot
{
    private static readonly Color[] Palette =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28),
        new(0x94, 0x67, 0xbd), new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x17, 0xbe, 0xcf),
    ];

    /// <summary>Writes the figure to a PNG file (to a temporary file beside it, then renamed).</summary>
    /// <param name="curve">The curve to draw.</param>
    /// <param name="path">The destination file.</param>
    /// <param name="overwrite">Replace an existing file (the default; the write is atomic); false to refuse one.</param>
    /// <param name="width">Width in pixels (at least 200).</param>
    /// <param name="height">Height in pixels (at least 200).</param>
    /// <param name="outputLabel">The y axis label, for example "predicted fare" or "logit"; default "prediction".</param>
    /// <exception cref="ArgumentNullException"><paramref name="curve"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is below 200.</exception>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
    public static void SavePlot(this ResponseCurve curve, string path, bool overwrite = true, int width = 720, int height = 480, string outputLabel = "prediction")
    {
        byte[] png = curve.ToPng(width, height, outputLabel);
        AtomicFile.Write(path, overwrite, stream => stream.Write(png));
    }

    /// <summary>The same figure as <see cref="SavePlot"/>, as PNG bytes.</summary>
    /// <param name="curve">The curve to draw.</param>
    /// <param name="width">Width in pixels (at least 200).</param>
    /// <param name="height">Height in pixels (at least 200).</param>
    /// <param name="outputLabel">The y axis label; default "prediction".</param>
    /// <exception cref="ArgumentNullException"><paramref name="curve"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is below 200.</exception>
    public static byte[] ToPng(this ResponseCurve curve, int width = 720, int height = 480, string outputLabel = "prediction")
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (width < 200) throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be at least 200 pixels.");
        if (height < 200) throw new ArgumentOutOfRangeException(nameof(height), height, "The height must be at least 200 pixels.");
        var plot = new Plot();
        plot.Title($"Response to {curve.FeatureName}, other features at the example's values", size: 13);
        plot.XLabel(curve.FeatureName);
        plot.YLabel(outputLabel);
        double[] xs = curve.Values.ToArray();
        for (int i = 0; i < curve.Series.Count; i++)
        {
            ResponseCurveSeries series = curve.Series[i];
            Color color = Palette[i % Palette.Length];
            var line = plot.Add.ScatterLine(xs, series.Predictions.ToArray(), color);
            line.LegendText = series.Name;
            line.LineWidth = 2;
            var marker = plot.Add.Marker(curve.ExampleValue, series.AtExample, MarkerShape.FilledCircle, 8, color);
            marker.LegendText = "";
        }

        var example = plot.Add.VerticalLine(curve.ExampleValue, 1.5f, Colors.Gray, LinePattern.Dotted);
        example.LegendText = "the example's value";
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImage(width, height).GetImageBytes(ImageFormat.Png);
    }
}
