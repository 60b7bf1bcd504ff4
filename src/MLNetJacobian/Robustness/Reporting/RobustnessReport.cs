using MLNetJacobian.IO;
namespace MLNetJacobian.Robustness;

/// <summary>
/// Everything a robustness evaluation measured: clean accuracy, every attack's curve, the per-example worst case,
/// the minimal perturbations, the sanity checks, the notices and the full configuration.
/// </summary>
/// <param name="Model">A description of the evaluated model (and how it was attacked).</param>
/// <param name="ExampleCount">N, the examples evaluated.</param>
/// <param name="FeatureCount">D.</param>
/// <param name="ClassCount">C.</param>
/// <param name="CleanAccuracy">Accuracy on the unperturbed inputs.</param>
/// <param name="AccuracyConvention">How robust accuracy is counted.</param>
/// <param name="Attacks">One curve per attack that ran.</param>
/// <param name="WorstCase">Per norm, the per-example worst case over its attacks.</param>
/// <param name="MinimalPerturbation">The bisection summary, or null when it did not run.</param>
/// <param name="Examples">Per-example outcomes.</param>
/// <param name="SanityChecks">The automatic checks and their figures.</param>
/// <param name="Notices">What was skipped or chosen automatically, and why.</param>
/// <param name="Configuration">The settings and seed.</param>
/// <param name="Elapsed">Total wall-clock time.</param>
public sealed record RobustnessReport(
    string Model,
    int ExampleCount,
    int FeatureCount,
    int ClassCount,
    double CleanAccuracy,
    string AccuracyConvention,
    IReadOnlyList<AttackCurve> Attacks,
    IReadOnlyList<WorstCaseCurve> WorstCase,
    MinimalPerturbationSummary? MinimalPerturbation,
    IReadOnlyList<ExampleOutcome> Examples,
    IReadOnlyList<SanityCheckResult> SanityChecks,
    IReadOnlyList<string> Notices,
    RobustnessConfiguration Configuration,
    TimeSpan Elapsed)
{
    /// <summary>Binary classifiers: the AUC of the clean scores; null for multiclass.</summary>
    public double? CleanAuc { get; init; }

    /// <summary>The details of the failed sanity checks.</summary>
    public IReadOnlyList<string> Warnings => SanityChecks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}").ToList();

    /// <summary>The curve of the named attack.</summary>
    /// <param name="name">The attack's name, as in <see cref="Attack.Name"/>.</param>
    public AttackCurve GetAttack(string name) =>
        Attacks.FirstOrDefault(a => a.Name == name)
        ?? throw new KeyNotFoundException($"No attack named '{name}' in the report; it holds: {string.Join(", ", Attacks.Select(a => a.Name))}.");

    /// <summary>A readable table of every figure, the notices and the warnings.</summary>
    public override string ToString() => RobustnessReportText.Format(this);

    /// <summary>Writes every figure, setting and seed as JSON (written to a temporary file, then renamed).</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="overwrite">Replace an existing file (the default, as <c>mlContext.Model.Save</c> does; the write is atomic, so a failure leaves the old file whole); false to refuse one.</param>
    public void SaveJson(string path, bool overwrite = true) =>
        AtomicFile.Write(path, overwrite, stream => RobustnessReportJson.Write(this, stream));
}
