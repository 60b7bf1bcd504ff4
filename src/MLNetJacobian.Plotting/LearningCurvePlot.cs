using MLNetJacobian.Training;
using ScottPlot;

namespace MLNetJacobian.Plotting;

/// <summary>
/// Learning curves as a PNG: three panels side by side, the loss terms, the accuracies, and the mean
/// <c>||J||_F</c> estimate, against the epoch. Several runs (for example lambda 0 and 0.1) share each panel.
/// </summary>
public static class LearningCurvePlot
{
    /// <summary>Renders the curves of one or more named runs as PNG bytes.</summary>
    /// <param name="runs">Each run's name and history (for example from the model parameters' <c>TrainingHistory</c>).</param>
    /// <param name="width">Width of the whole image in pixels (at least 300).</param>
    /// <param name="height">Height in pixels (at least 200).</param>
    /// <exception cref="ArgumentNullException"><paramref name="runs"/> or one of its histories is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="runs"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is below 300 or <paramref name="height"/> below 200.</exception>
    public static byte[] ToPng(IReadOnlyList<(string Name, TrainingHistory History)> runs, int width = 1500, int height = 480)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("At least one run is needed.", nameof(runs));
        if (runs.Any(r => r.History is null)) throw new ArgumentNullException(nameof(runs), "Every run needs a training history.");
        if (width < 300) throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be at least 300 pixels.");
        if (height < 200) throw new ArgumentOutOfRangeException(nameof(height), height, "The height must be at least 200 pixels.");

        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Plot loss = multiplot.GetPlot(0);
        Plot accuracy = multiplot.GetPlot(1);
        Plot jacobian = multiplot.GetPlot(2);
        bool several = runs.Count > 1;
        var palette = new ScottPlot.Palettes.Category10();
        for (int r = 0; r < runs.Count; r++)
        {
            (string name, TrainingHistory history) = runs[r];
            string prefix = several ? $"{name}: " : string.Empty;
            double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
            Color color = palette.GetColor(r);
            // Without the penalty (lambda 0) the loss is the cross-entropy: one line, named as both, not two that coincide.
            if (history.Epochs.All(e => SameValue(e.Loss, e.DataLoss)))
            {
                AddLine(loss, epochs, history.Epochs.Select(e => e.Loss), $"{prefix}loss (= cross-entropy)", color, LinePattern.Solid);
            }
            else
            {
                AddLine(loss, epochs, history.Epochs.Select(e => e.Loss), $"{prefix}loss", color, LinePattern.Solid);
                AddLine(loss, epochs, history.Epochs.Select(e => e.DataLoss), $"{prefix}cross-entropy", color, LinePattern.Dashed);
            }

            if (history.Epochs.Any(e => e.Penalty > 0)) AddLine(loss, epochs, history.Epochs.Select(e => e.Penalty), $"{prefix}penalty", color, LinePattern.Dotted);
            AddLine(accuracy, epochs, history.Epochs.Select(e => e.TrainingAccuracy), $"{prefix}training", color, LinePattern.Solid);
            if (history.Epochs.Any(e => e.ValidationAccuracy.HasValue))
            {
                AddLine(accuracy, epochs, history.Epochs.Select(e => e.ValidationAccuracy ?? double.NaN), $"{prefix}validation", color, LinePattern.Dashed);
            }

            AddLine(jacobian, epochs, history.Epochs.Select(e => e.RmsJacobianNormEstimate), several ? name : "rms ||J||_F estimate", color, LinePattern.Solid);
        }

        Decorate(loss, "Training loss", "loss", Alignment.UpperRight);
        Decorate(accuracy, "Accuracy", "fraction correct", Alignment.LowerRight);
        Decorate(jacobian, "Root-mean-square ||J||_F estimate (training rows)", "||J||_F", Alignment.UpperLeft);
        if (!jacobian.GetPlottables().Any())
        {
            jacobian.Add.Annotation("not estimated (lambda = 0)", Alignment.MiddleCenter);
        }

        return multiplot.Render(width, height).GetImageBytes(ImageFormat.Png);
    }

    private static bool SameValue(double a, double b) =>
        a == b || (double.IsNaN(a) && double.IsNaN(b)) || Math.Abs(a - b) <= 1e-12 * Math.Max(Math.Abs(a), Math.Abs(b));

    private static void AddLine(Plot plot, double[] epochs, IEnumerable<double> values, string label, Color color, LinePattern pattern)
    {
        double[] ys = values.ToArray();
        var xs = new List<double>();
        var kept = new List<double>();
        for (int i = 0; i < ys.Length; i++)
        {
            if (!double.IsFinite(ys[i])) continue;
            xs.Add(epochs[i]);
            kept.Add(ys[i]);
        }

        if (kept.Count == 0) return;
        var scatter = plot.Add.Scatter(xs.ToArray(), kept.ToArray(), color);
        scatter.LegendText = label;
        scatter.LinePattern = pattern;
        scatter.LineWidth = 2;
        scatter.MarkerSize = 6;
    }

    private static void Decorate(Plot plot, string title, string yLabel, Alignment legend)
    {
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (plot.GetPlottables().Any()) plot.ShowLegend(legend);
    }
}
