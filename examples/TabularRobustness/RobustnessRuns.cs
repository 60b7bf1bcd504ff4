using System.Globalization;
using System.Text;
using Microsoft.ML;
using MLNetJacobian.Robustness;

namespace TabularRobustness;

/// <summary>
/// The perturbation experiments: every model under the same attacks, epsilon in standard deviations of the training
/// rows (the evaluator's <c>FeatureScaleData</c>), only the chosen features moving (the others, one-hot slots included,
/// keep their values).
/// </summary>
public static class RobustnessRuns
{
    /// <summary>The black-box search every model gets: Square, L-inf, this many queries per example and epsilon.</summary>
    public static SquareAttack Square(bool quick) => new(maxQueries: quick ? 100 : 500);

    /// <summary>The gradient attack (networks and linear models, skipped with a notice for trees): PGD-40 L-inf, random start.</summary>
    public static PgdAttack Pgd(bool quick) => new(PerturbationNorm.LInfinity, steps: quick ? 10 : 40);

    /// <summary>
    /// Regression: the mean worst-case prediction change <c>|f(x + d) - f(x)|</c> over <paramref name="rows"/> test rows
    /// drawn at random (ML.NET's <c>ShuffleRows</c> with <paramref name="seed"/>; the same rows for every model), under the
    /// Square search and PGD, moving only <paramref name="perturbed"/>.
    /// </summary>
    public static List<(Contender Model, RegressionRobustnessReport Report)> Regression(MLContext mlContext, TabularDataSet data,
        IEnumerable<Contender> models, IReadOnlyList<string> perturbed, IReadOnlyList<float> epsilons, int rows, bool quick, int seed, Action<string> log)
    {
        var options = new RegressionRobustnessOptions
        {
            FeatureColumnName = TabularDataSet.Features,
            LabelColumnName = TabularDataSet.Label,
            PerturbedFeatures = perturbed,
            FeatureScaleData = data.Train,
            Epsilons = epsilons,
            Attacks = [Square(quick), Pgd(quick)],
            Objectives = [RegressionObjective.PredictionChange],
            RunSanityChecks = !quick,
            Seed = seed,
        };
        IDataView sample = mlContext.Data.Cache(mlContext.Data.TakeRows(mlContext.Data.ShuffleRows(data.Test, seed), rows));
        var results = new List<(Contender, RegressionRobustnessReport)>();
        foreach (Contender model in models)
        {
            RegressionRobustnessReport report = mlContext.Regression.EvaluateRobustness(model.Model, sample, options);
            log(FormattableString.Invariant($"  {model.Name}: attacked in {report.Elapsed.TotalSeconds:F1} s ({report.Model})"));
            foreach (string warning in report.Warnings) log($"    warning: {warning}");
            results.Add((model, report));
        }

        return results;
    }

    /// <summary>
    /// Binary: accuracy over every test row under Gaussian noise (sigma = epsilon), PGD and the Square search, and the
    /// per-example worst case over the L-inf attacks, every feature moving.
    /// </summary>
    public static List<(Contender Model, RobustnessReport Report)> Binary(MLContext mlContext, TabularDataSet data, IEnumerable<Contender> models,
        IReadOnlyList<float> epsilons, bool quick, int seed, Action<string> log)
    {
        var options = new RobustnessOptions
        {
            FeatureColumnName = TabularDataSet.Features,
            LabelColumnName = TabularDataSet.Label,
            LowerBound = float.NegativeInfinity,
            UpperBound = float.PositiveInfinity,
            FeatureScaleData = data.Train,
            Epsilons = epsilons,
            Attacks = [new GaussianNoiseAttack(draws: quick ? 1 : 10) { Strengths = epsilons }, Pgd(quick), Square(quick)],
            BisectionSteps = 0,
            RunSanityChecks = !quick,
            Seed = seed,
        };
        var results = new List<(Contender, RobustnessReport)>();
        foreach (Contender model in models)
        {
            RobustnessReport report = mlContext.BinaryClassification.EvaluateRobustness(model.Model, data.Test, options);
            log(FormattableString.Invariant($"  {model.Name}: attacked in {report.Elapsed.TotalSeconds:F1} s"));
            foreach (string warning in report.Warnings) log($"    warning: {warning}");
            results.Add((model, report));
        }

        return results;
    }

    /// <summary>The regression table: mean prediction change per attack and epsilon, one row per model.</summary>
    public static string RegressionTable(string title, IReadOnlyList<(Contender Model, RegressionRobustnessReport Report)> results, IReadOnlyList<float> epsilons,
        string square, string pgd)
    {
        var text = new StringBuilder(title).AppendLine();
        text.Append("| model | RMSE (attacked rows) |");
        foreach (string attack in new[] { "Square", "PGD" })
        {
            foreach (float e in epsilons) text.Append(CultureInfo.InvariantCulture, $" {attack} {e} |");
        }

        text.AppendLine().Append("|---|---:|").Append(string.Concat(Enumerable.Repeat("---:|", 2 * epsilons.Count))).AppendLine();
        foreach ((Contender model, RegressionRobustnessReport report) in results)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {model.Name} | {report.CleanRmse:F3} |");
            foreach (string attack in new[] { square, pgd })
            {
                foreach (float e in epsilons) text.Append(' ').Append(Format(MeanChange(report, attack, e))).Append(" |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>The binary table: accuracy per attack and epsilon, and the worst case, one row per model.</summary>
    public static string BinaryTable(string title, IReadOnlyList<(Contender Model, RobustnessReport Report)> results, IReadOnlyList<float> epsilons)
    {
        var text = new StringBuilder(title).AppendLine();
        string[] attacks = results.SelectMany(r => r.Report.Attacks.Select(a => a.Name)).Distinct().ToArray();
        text.Append("| model | clean |");
        foreach (float e in epsilons)
        {
            foreach (string attack in attacks) text.Append(CultureInfo.InvariantCulture, $" {ShortName(attack)} {e} |");
            text.Append(CultureInfo.InvariantCulture, $" worst {e} |");
        }

        text.AppendLine().Append("|---|---:|").Append(string.Concat(Enumerable.Repeat("---:|", (attacks.Length + 1) * epsilons.Count))).AppendLine();
        foreach ((Contender model, RobustnessReport report) in results)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {model.Name} | {Percent(report.CleanAccuracy)} |");
            foreach (float e in epsilons)
            {
                foreach (string attack in attacks) text.Append(' ').Append(Percent(Accuracy(report, attack, e))).Append(" |");
                text.Append(' ').Append(Percent(WorstCase(report, e))).Append(" |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>The mean prediction change of <paramref name="attack"/> at <paramref name="epsilon"/>, or null when it did not run.</summary>
    public static double? MeanChange(RegressionRobustnessReport report, string attack, float epsilon) =>
        report.Attacks.FirstOrDefault(a => a.Name == attack && a.Objective == RegressionObjective.PredictionChange)?.Points
            .FirstOrDefault(p => Math.Abs(p.Strength - epsilon) < 1e-6)?.Change.Mean;

    /// <summary>The accuracy under <paramref name="attack"/> at <paramref name="epsilon"/>, or null when it did not run.</summary>
    public static double? Accuracy(RobustnessReport report, string attack, float epsilon) =>
        report.Attacks.FirstOrDefault(a => a.Name == attack)?.Points.FirstOrDefault(p => Math.Abs(p.Strength - epsilon) < 1e-6)?.RobustAccuracy;

    /// <summary>The per-example worst case over the L-inf attacks at <paramref name="epsilon"/>.</summary>
    public static double? WorstCase(RobustnessReport report, float epsilon) =>
        report.WorstCase.FirstOrDefault(w => w.Norm == PerturbationNorm.LInfinity.Name)?.Points.FirstOrDefault(p => Math.Abs(p.Epsilon - epsilon) < 1e-6)?.RobustAccuracy;

    private static string ShortName(string attack) => attack.StartsWith("Gaussian", StringComparison.Ordinal) ? "noise"
        : attack.StartsWith("PGD", StringComparison.Ordinal) ? "PGD" : attack.StartsWith("Square", StringComparison.Ordinal) ? "Square" : attack;

    private static string Format(double? value) => value is double v ? v.ToString("F3", CultureInfo.InvariantCulture) : "-";

    private static string Percent(double? value) => value is double v ? (100 * v).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";
}
