using System.Globalization;
using Microsoft.ML;
using MLNetJacobian.Robustness;
using Spectre.Console;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>
/// Accuracy under Gaussian noise at one sigma, the two ways it is reported: the one-draw accuracy (each example sees
/// one noisy copy; the mean over K independent draws, with its standard error over the draws) and worst-of-K (an
/// example counts as fooled when any of its K draws is misclassified, always at most the one-draw figure).
/// </summary>
/// <param name="Sigma">The noise's standard deviation.</param>
/// <param name="Draws">K.</param>
/// <param name="OneDrawAccuracy">The mean over the K draws of the accuracy under one draw.</param>
/// <param name="OneDrawStandardError">The standard error of that mean over the draws (sample standard deviation / sqrt(K)); null when K = 1.</param>
/// <param name="WorstOfDrawsAccuracy">The accuracy when an example must survive all K draws.</param>
internal sealed record NoisePoint(double Sigma, int Draws, double OneDrawAccuracy, double? OneDrawStandardError, double WorstOfDrawsAccuracy)
{
    /// <summary>The one-draw accuracy as <c>97.1% ± 0.2</c> (percentage points).</summary>
    public string OneDrawText => OneDrawStandardError is double error
        ? $"{(100 * OneDrawAccuracy).ToString("F1", CultureInfo.InvariantCulture)}% ± {(100 * error).ToString("F1", CultureInfo.InvariantCulture)}"
        : $"{(100 * OneDrawAccuracy).ToString("F1", CultureInfo.InvariantCulture)}%";
}

/// <summary>Measures <see cref="NoisePoint"/>s: K evaluator runs of one draw each, and the suite's worst-of-K curve.</summary>
internal static class NoiseDraws
{
    /// <summary>The noise points of a model, or none when the suite has no Gaussian noise.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="model">The model.</param>
    /// <param name="alignedData">The attacked rows, labels numbered like the model's classes.</param>
    /// <param name="settings">The command's robustness options.</param>
    /// <param name="options">The evaluator's options of the main run (bounds, rows, threads, seed).</param>
    /// <param name="report">The main run's report, which holds the worst-of-K curve.</param>
    public static IReadOnlyList<NoisePoint> Measure(MLContext context, TrainedModel model, Microsoft.ML.IDataView alignedData, IRobustnessSettings settings,
        RobustnessOptions options, RobustnessReport report)
    {
        GaussianNoiseAttack worst = AttackPlan.Noise(settings);
        RobustnessReport.AttackCurve? worstCurve = report.Attacks.FirstOrDefault(a => a.Name == worst.Name);
        if (worstCurve is null) return [];
        int k = settings.NoiseDraws;
        (_, List<IReadOnlyList<RobustnessReport.AttackPoint>> perDraw) = RunDraws(context, model, alignedData, settings, options);
        var points = new List<NoisePoint>();
        foreach (RobustnessReport.AttackPoint point in worstCurve.Points)
        {
            double[] accuracies = perDraw.Select(p => p.Single(q => Math.Abs(q.Strength - point.Strength) < 1e-9).RobustAccuracy).ToArray();
            double mean = accuracies.Average();
            double? error = k > 1 ? Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / (k - 1) / k) : null;
            points.Add(new NoisePoint(point.Strength, k, mean, error, point.RobustAccuracy));
        }

        return points;
    }

    /// <summary>
    /// The clean accuracy and the one-draw Gaussian noise accuracy (mean over K draws) at the sigma nearest
    /// <paramref name="sigma"/>, without any other attack: the figures compared across training seeds.
    /// </summary>
    public static (double Clean, double OneDraw, double Sigma) CleanAndOneDraw(MLContext context, TrainedModel model, Microsoft.ML.IDataView alignedData,
        IRobustnessSettings settings, RobustnessOptions options, double sigma)
    {
        (double clean, List<IReadOnlyList<RobustnessReport.AttackPoint>> perDraw) = RunDraws(context, model, alignedData, settings, options);
        double nearest = perDraw[0].MinBy(p => Math.Abs(p.Strength - sigma))!.Strength;
        return (clean, perDraw.Average(p => p.Single(q => q.Strength == nearest).RobustAccuracy), nearest);
    }

    /// <summary>K evaluator runs of one noise draw each: the clean accuracy and every run's points.</summary>
    private static (double Clean, List<IReadOnlyList<RobustnessReport.AttackPoint>> PerDraw) RunDraws(MLContext context, TrainedModel model, Microsoft.ML.IDataView alignedData,
        IRobustnessSettings settings, RobustnessOptions options)
    {
        int k = settings.NoiseDraws;
        double clean = double.NaN;
        var perDraw = new List<IReadOnlyList<RobustnessReport.AttackPoint>>();
        for (int draw = 0; draw < k; draw++)
        {
            // One independent draw per run: its own seed, nothing else but the noise.
            var single = new RobustnessOptions
            {
                FeatureColumnName = options.FeatureColumnName,
                LabelColumnName = options.LabelColumnName,
                LowerBound = options.LowerBound,
                UpperBound = options.UpperBound,
                Epsilons = options.Epsilons,
                Attacks = [AttackPlan.Noise(settings, draws: 1)],
                Seed = unchecked(options.Seed * 7919 + 104729 * (draw + 1)),
                MaxExamples = options.MaxExamples,
                BisectionSteps = 0,
                RunSanityChecks = false,
                ThreadCount = options.ThreadCount,
            };
            RobustnessReport report = RobustnessRuns.Evaluate(context, model, alignedData, single, console: null);
            clean = report.CleanAccuracy;
            perDraw.Add(report.Attacks.Single().Points);
        }

        return (clean, perDraw);
    }

    /// <summary>Per network setting, the clean and one-draw noise accuracy over training seeds: mean ± sd [min, max].</summary>
    public static Table SeedTable(IReadOnlyList<SeedSpread> spreads, double sigma, int draws)
    {
        var table = new Table().Title(Markup.Escape($"Over training seeds (noise: one draw, mean over {draws} draws, sigma {sigma.ToString("G3", CultureInfo.InvariantCulture)})")).RoundedBorder();
        table.AddColumns("model", "seeds", "clean", "Gaussian one draw");
        foreach (TableColumn column in table.Columns.Skip(1)) column.RightAligned();
        foreach (SeedSpread spread in spreads)
        {
            table.AddRow(Markup.Escape(spread.Name), string.Join(",", spread.Seeds), Markup.Escape(Spread(spread.Clean)), Markup.Escape(Spread(spread.OneDrawNoise)));
        }

        table.Caption(Markup.Escape("mean ± sample standard deviation over the seeds [min, max]; each seed trains its own network on the same rows"));
        return table;
    }

    private static string Spread(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        string P(double v) => (100 * v).ToString("F1", CultureInfo.InvariantCulture);
        return $"{P(mean)}% ± {P(sd)} [{P(values.Min())}, {P(values.Max())}]";
    }

    /// <summary>The point at <paramref name="sigma"/>, or at the nearest measured sigma.</summary>
    public static NoisePoint? At(IReadOnlyList<NoisePoint> points, double sigma) =>
        points.Count == 0 ? null : points.MinBy(p => Math.Abs(p.Sigma - sigma));

    /// <summary>A console table: sigma, one-draw accuracy (mean ± standard error over K draws), worst-of-K.</summary>
    public static Table Table(IReadOnlyList<NoisePoint> points, string title)
    {
        int k = points.Count > 0 ? points[0].Draws : 1;
        var table = new Table().Title(Markup.Escape(title)).RoundedBorder();
        table.AddColumns("sigma", $"one draw (mean ± s.e. over {k} draws)", $"worst of {k}");
        foreach (TableColumn column in table.Columns) column.RightAligned();
        foreach (NoisePoint p in points)
        {
            table.AddRow(p.Sigma.ToString("G3", CultureInfo.InvariantCulture), Markup.Escape(p.OneDrawText),
                (100 * p.WorstOfDrawsAccuracy).ToString("F1", CultureInfo.InvariantCulture) + "%");
        }

        table.Caption(Markup.Escape("accuracy over the attacked rows (clean mistakes count as not robust); one draw is the usual figure, worst-of-K counts an example as fooled when any draw fools it"));
        return table;
    }
}

/// <summary>One network setting trained with several seeds: the seeds and, per seed, the clean and one-draw noise accuracy.</summary>
/// <param name="Name">The setting (for example <c>lambda 0.1</c>).</param>
/// <param name="Seeds">The training seeds.</param>
/// <param name="Clean">Clean accuracy per seed.</param>
/// <param name="OneDrawNoise">One-draw Gaussian noise accuracy per seed, at the headline sigma.</param>
internal sealed record SeedSpread(string Name, IReadOnlyList<int> Seeds, IReadOnlyList<double> Clean, IReadOnlyList<double> OneDrawNoise);
