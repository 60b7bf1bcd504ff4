using MLNetJacobian.Analysis;
using MLNetJacobian.IO;
using ScottPlot;

namespace MLNetJacobian.Plotting;

/// <summary>
/// Models' predictions along one feature with every other input fixed (a response curve, or individual conditional
/// expectation line), one line per model: a tree ensemble shows as a staircase, a network as a continuous curve. An
/// optional second panel zooms into a sub-range, where the steps are visible.
/// </summary>
public static class ResponseCurvePlot
{
    /// <summary>Renders the figure as PNG bytes.</summary>
    /// <param name="featureLabel">The x axis: the feature varied, with its units.</param>
    /// <param name="outputLabel">The y axis: the prediction, with its units.</param>
    /// <param name="values">The feature's values, increasing.</param>
    /// <param name="curves">Each model's name and its predictions at <paramref name="values"/>, in legend order.</param>
    /// <param name="zoom">A sub-range of <paramref name="values"/> drawn in a second panel, or null for one panel.</param>
    /// <param name="panelWidth">Width of each panel in pixels (at least 200).</param>
    /// <param name="height">Height in pixels (at least 200).</param>
    /// <exception cref="ArgumentNullException">An argument, or a curve's predictions, is null.</exception>
    /// <exception cref="ArgumentException">
    /// Fewer than two values, values not increasing, no curve, a curve whose length differs from the values', or a zoom
    /// range outside the values or holding fewer than two of them.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="panelWidth"/> or <paramref name="height"/> is below 200.</exception>
    public static byte[] ToPng(string featureLabel, string outputLabel, IReadOnlyList<double> values, IReadOnlyList<(string Name, IReadOnlyList<double> Predictions)> curves,
        (double From, double To)? zoom = null, int panelWidth = 620, int height = 440)
    {
        ArgumentNullException.ThrowIfNull(featureLabel);
        ArgumentNullException.ThrowIfNull(outputLabel);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(curves);
        if (values.Count < 2) throw new ArgumentException($"At least two feature values are needed; got {values.Count}.", nameof(values));
        for (int i = 1; i < values.Count; i++)
        {
            if (!(values[i] > values[i - 1])) throw new ArgumentException($"The feature values must increase; value {i} ({values[i]}) does not exceed value {i - 1} ({values[i - 1]}).", nameof(values));
        }

        if (curves.Count == 0) throw new ArgumentException("At least one curve is needed.", nameof(curves));
        foreach ((string name, IReadOnlyList<double> predictions) in curves)
        {
            if (predictions is null) throw new ArgumentNullException(nameof(curves), $"The curve '{name}' has no predictions.");
            if (predictions.Count != values.Count)
            {
                throw new ArgumentException($"The curve '{name}' has {predictions.Count} predictions for {values.Count} feature values.", nameof(curves));
            }
        }

        if (zoom is (double from, double to) && (!(from < to) || from < values[0] || to > values[^1] || values.Count(v => v >= from && v <= to) < 2))
        {
            throw new ArgumentException($"The zoom range [{from}, {to}] must lie within [{values[0]}, {values[^1]}] and hold at least two feature values.", nameof(zoom));
        }

        if (panelWidth < 200) throw new ArgumentOutOfRangeException(nameof(panelWidth), panelWidth, "The panel width must be at least 200 pixels.");
        if (height < 200) throw new ArgumentOutOfRangeException(nameof(height), height, "The height must be at least 200 pixels.");

        int panels = zoom is null ? 1 : 2;
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var palette = new ScottPlot.Palettes.Category10();
        for (int p = 0; p < panels; p++)
        {
            Plot plot = multiplot.GetPlot(p);
            (double lo, double hi) = p == 0 ? (values[0], values[^1]) : zoom!.Value;
            int[] kept = Enumerable.Range(0, values.Count).Where(i => values[i] >= lo && values[i] <= hi).ToArray();
            for (int c = 0; c < curves.Count; c++)
            {
                var line = plot.Add.ScatterLine(kept.Select(i => values[i]).ToArray(), kept.Select(i => curves[c].Predictions[i]).ToArray(), palette.GetColor(c));
                line.LegendText = curves[c].Name;
                line.LineWidth = 2;
            }

            plot.Title(p == 0 ? $"{outputLabel} along {featureLabel}" : $"zoom: {featureLabel} in [{lo:G4}, {hi:G4}]");
            plot.XLabel(featureLabel);
            plot.YLabel(outputLabel);
            plot.ShowLegend(Alignment.UpperLeft);
        }

        return multiplot.Render(panelWidth * panels, height).GetImageBytes(ImageFormat.Png);
    }

    /// <summary>
    /// Draws a <see cref="ResponseCurve"/> computed by <see cref="OneOutputAnalysis.ResponseCurve"/>: one line per model
    /// along the curve's feature; see the other overload.
    /// </summary>
    /// <param name="curve">The curve.</param>
    /// <param name="outputLabel">The y axis: the prediction, with its units; default "prediction".</param>
    /// <param name="zoom">A sub-range of the feature's values drawn in a second panel, or null for one panel.</param>
    /// <param name="panelWidth">Width of each panel in pixels (at least 200).</param>
    /// <param name="height">Height in pixels (at least 200).</param>
    /// <exception cref="ArgumentNullException"><paramref name="curve"/> is null.</exception>
    /// <exception cref="ArgumentException">The zoom range does not fit the values.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="panelWidth"/> or <paramref name="height"/> is below 200.</exception>
    public static byte[] ToPng(this ResponseCurve curve, string outputLabel = "prediction", (double From, double To)? zoom = null, int panelWidth = 620, int height = 440)
    {
        ArgumentNullException.ThrowIfNull(curve);
        return ToPng(curve.FeatureName, outputLabel, curve.Values, curve.Series.Select(s => (s.Name, s.Predictions)).ToList(), zoom, panelWidth, height);
    }

    /// <summary>Writes the figure of a <see cref="ResponseCurve"/> to a PNG file (a temporary file beside it, then renamed).</summary>
    /// <param name="curve">The curve.</param>
    /// <param name="path">The destination file.</param>
    /// <param name="overwrite">Replace an existing file (the default; the write is atomic); false to refuse one.</param>
    /// <param name="outputLabel">The y axis label; default "prediction".</param>
    /// <param name="zoom">A sub-range drawn in a second panel, or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="curve"/> is null.</exception>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
    public static void SavePlot(this ResponseCurve curve, string path, bool overwrite = true, string outputLabel = "prediction", (double From, double To)? zoom = null)
    {
        byte[] png = curve.ToPng(outputLabel, zoom);
        AtomicFile.Write(path, overwrite, stream => stream.Write(png));
    }
}
