using MLNetJacobian.IO;
using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// Everything a regression robustness evaluation measured: the clean errors, each attack's curve per objective, the
/// sanity checks, the notices and the configuration.
/// </summary>
/// <param name="Model">A description of the evaluated model (and how it was attacked).</param>
/// <param name="ExampleCount">N.</param>
/// <param name="FeatureCount">D.</param>
/// <param name="CleanRmse">RMSE of the clean predictions.</param>
/// <param name="CleanMae">MAE of the clean predictions.</param>
/// <param name="Attacks">One curve per attack and objective that ran.</param>
/// <param name="SanityChecks">The automatic checks and their figures.</param>
/// <param name="Notices">What was skipped or chosen automatically, and why.</param>
/// <param name="Configuration">The settings and seed.</param>
/// <param name="Elapsed">Total wall-clock time.</param>
public sealed record RegressionRobustnessReport(string Model, int ExampleCount, int FeatureCount, double CleanRmse, double CleanMae,
    IReadOnlyList<RegressionRobustnessReport.AttackCurve> Attacks, IReadOnlyList<SanityCheckResult> SanityChecks, IReadOnlyList<string> Notices,
    RobustnessConfiguration Configuration, TimeSpan Elapsed)
{
    /// <summary>The details of the failed sanity checks.</summary>
    public IReadOnlyList<string> Warnings => SanityChecks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}").ToList();

    /// <summary>The curve of the named attack with the given objective (null objective: a noise attack).</summary>
    /// <param name="name">The attack's name, as in <see cref="Attack.Name"/>.</param>
    /// <param name="objective">The objective it maximized; null for noise.</param>
    /// <exception cref="KeyNotFoundException">No such curve.</exception>
    public AttackCurve GetAttack(string name, RegressionObjective? objective = RegressionObjective.PredictionChange) =>
        Attacks.FirstOrDefault(a => a.Name == name && (a.Objective == objective || a.Objective is null))
        ?? throw new KeyNotFoundException($"No attack named '{name}' with objective {objective?.ToString() ?? "none"} in the report; it holds: " +
            string.Join(", ", Attacks.Select(a => a.Objective is { } o ? $"{a.Name} ({o})" : a.Name)) + ".");

    /// <summary>A readable table of every figure, the notices and the warnings.</summary>
    public override string ToString() => RegressionRobustnessReportText.Format(this);

    /// <summary>Writes every figure, setting and seed as JSON (written to a temporary file, then renamed).</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="overwrite">Replace an existing file (the default; the write is atomic); false to refuse one.</param>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
    public void SaveJson(string path, bool overwrite = true) =>
        AtomicFile.Write(path, overwrite, stream => RobustnessReportJson.Write(this, stream));

    /// <summary>
    /// A table comparing several models under the same attacks: one row per (attack, objective, strength), one column
    /// pair (mean change, RMSE) per model; a model where an attack did not run (no gradients) shows "-".
    /// </summary>
    /// <param name="reports">The models' reports, by display name.</param>
    /// <exception cref="ArgumentException">No reports were given.</exception>
    public static string CompareText(IReadOnlyList<(string Name, RegressionRobustnessReport Report)> reports) => RegressionRobustnessReportText.Compare(reports);

    /// <summary>A regression model's figures at one attack strength.</summary>
    /// <param name="Strength">Epsilon (or the noise's sigma), in the units of the evaluation (see the configuration's perturbation space).</param>
    /// <param name="Rmse">Root mean squared error of the perturbed predictions against the labels.</param>
    /// <param name="Mae">Mean absolute error of the perturbed predictions against the labels.</param>
    /// <param name="Change">The distribution over the examples of the prediction change <c>|f(x + d) - f(x)|</c> (mean, percentiles, maximum).</param>
    /// <param name="QueriesPerExample">Mean model evaluations per example.</param>
    /// <param name="GradientsPerExample">Mean input-gradient computations per example.</param>
    /// <param name="Seconds">Wall-clock time of this run.</param>
    public sealed record AttackPoint(double Strength, double Rmse, double Mae, DistributionSummary Change, double QueriesPerExample, double GradientsPerExample, double Seconds);

    /// <summary>One attack with one objective over its strengths.</summary>
    /// <param name="Name">The attack's name (<see cref="Robustness.Attack.Name"/>).</param>
    /// <param name="Norm">The ball's norm, or null for Gaussian noise.</param>
    /// <param name="Kind">Gradient, black-box, transfer or noise.</param>
    /// <param name="Objective">What the attack maximized (<c>PredictionChange</c> or <c>Error</c>); null for noise, which searches nothing.</param>
    /// <param name="Settings">Every hyperparameter of the attack.</param>
    /// <param name="Points">One point per strength, in increasing strength.</param>
    public sealed record AttackCurve(string Name, string? Norm, AttackKind Kind, RegressionObjective? Objective, IReadOnlyDictionary<string, string> Settings,
        IReadOnlyList<AttackPoint> Points);
}
