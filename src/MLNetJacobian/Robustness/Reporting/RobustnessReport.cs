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
    IReadOnlyList<RobustnessReport.AttackCurve> Attacks,
    IReadOnlyList<RobustnessReport.WorstCaseCurve> WorstCase,
    RobustnessReport.MinimalPerturbationSummary? MinimalPerturbation,
    IReadOnlyList<RobustnessReport.ExampleOutcome> Examples,
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

    /// <summary>One attack's results over its strengths.</summary>
    /// <param name="Name">The attack's name.</param>
    /// <param name="Norm">The ball's norm (<c>L-inf</c>, <c>L2</c>), or null for a noise attack measured by its noise scale.</param>
    /// <param name="RequiresGradient">Whether the attack used input gradients (white-box).</param>
    /// <param name="Settings">Every hyperparameter of the attack.</param>
    /// <param name="Points">One point per strength, in increasing strength.</param>
    public sealed record AttackCurve(string Name, string? Norm, bool RequiresGradient, IReadOnlyDictionary<string, string> Settings, IReadOnlyList<AttackPoint> Points);

    /// <summary>The result of one attack at one strength.</summary>
    /// <param name="Strength">Epsilon (or, for noise attacks without a ball, the noise scale).</param>
    /// <param name="RobustAccuracy">Fraction of ALL evaluated examples still classified correctly after the attack
    /// (clean-misclassified examples count as not robust: the AutoAttack / Foolbox convention).</param>
    /// <param name="SuccessRate">Fraction of the attacked (clean-correct) examples that the attack misclassified.</param>
    /// <param name="AttackedCount">Examples attacked (the clean-correct ones).</param>
    /// <param name="FooledCount">Attacked examples that were misclassified.</param>
    /// <param name="QueriesPerExample">Mean model evaluations (forward passes) per attacked example.</param>
    /// <param name="GradientsPerExample">Mean input-gradient computations per attacked example.</param>
    /// <param name="Seconds">Wall-clock time of this run.</param>
    public sealed record AttackPoint(double Strength, double RobustAccuracy, double SuccessRate, int AttackedCount, int FooledCount,
        double QueriesPerExample, double GradientsPerExample, double Seconds)
    {
        /// <summary>Binary classifiers: the AUC of the scores after the attack (see <see cref="RobustnessEvaluator.AucConvention"/>); null otherwise.</summary>
        public double? Auc { get; init; }
    }

    /// <summary>
    /// The per-example worst case over every attack of one norm: the mean over examples of the minimum over attacks
    /// (not the minimum over attacks of the mean).
    /// </summary>
    /// <param name="Norm">The norm.</param>
    /// <param name="Attacks">The attacks combined.</param>
    /// <param name="Points">One point per epsilon that any of the attacks ran at.</param>
    public sealed record WorstCaseCurve(string Norm, IReadOnlyList<string> Attacks, IReadOnlyList<WorstCasePoint> Points);

    /// <summary>The per-example worst case over attacks at one epsilon.</summary>
    /// <param name="Epsilon">The radius.</param>
    /// <param name="RobustAccuracy">Fraction of ALL examples that every attack of the norm failed on at every radius up
    /// to this one (an adversarial input found at a smaller radius is also one at this radius).</param>
    public sealed record WorstCasePoint(double Epsilon, double RobustAccuracy);

    /// <summary>The per-example minimal-perturbation search: bisection over epsilon between the grid points.</summary>
    /// <param name="Attack">The attack run at each bisection radius.</param>
    /// <param name="Norm">Its norm.</param>
    /// <param name="BisectionSteps">Bisection steps per example.</param>
    /// <param name="Median">Median over the clean-correct examples of the smallest radius found (examples never flipped
    /// count as infinite); null when more than half were never flipped within the grid.</param>
    /// <param name="MeanOfFound">Mean over the examples that were flipped; null when none.</param>
    /// <param name="FoundCount">Examples with a flipping radius found.</param>
    /// <param name="SearchedCount">Clean-correct examples.</param>
    public sealed record MinimalPerturbationSummary(string Attack, string Norm, int BisectionSteps, double? Median, double? MeanOfFound, int FoundCount, int SearchedCount);

    /// <summary>What happened to one example.</summary>
    /// <param name="Index">The row in the evaluated data.</param>
    /// <param name="Label">The true class.</param>
    /// <param name="CleanPrediction">The predicted class of the clean input.</param>
    /// <param name="SmallestFlippingEpsilon">Per norm, the smallest grid epsilon at which some attack misclassified the
    /// example (null: none did, or the example was misclassified clean).</param>
    /// <param name="MinimalPerturbation">The bisection's upper bound on the smallest flipping radius (null: not found or
    /// not searched).</param>
    /// <param name="Attacks">Every attack at every strength on this example (empty when it was misclassified clean, so not attacked).</param>
    public sealed record ExampleOutcome(int Index, int Label, int CleanPrediction, IReadOnlyDictionary<string, double?> SmallestFlippingEpsilon, double? MinimalPerturbation,
        IReadOnlyList<ExampleAttackOutcome> Attacks);

    /// <summary>What one attack at one strength did to one example.</summary>
    /// <param name="Attack">The attack's name (<see cref="Robustness.Attack.Name"/>, which encodes its settings).</param>
    /// <param name="Strength">Epsilon, or the noise's sigma.</param>
    /// <param name="Fooled">Whether the adversarial input is misclassified.</param>
    /// <param name="PerturbationNorm">The distance of the adversarial input from the clean one, in <paramref name="Norm"/>.</param>
    /// <param name="Norm">The norm of <paramref name="PerturbationNorm"/>: the attack's, or L2 for noise without a ball.</param>
    /// <param name="AdversarialPrediction">The predicted class of the adversarial input.</param>
    /// <param name="AdversarialInput">The adversarial input, <c>[D]</c>, when <see cref="PerturbationOptions.IncludeAdversarialInputs"/> is set; else null.</param>
    public sealed record ExampleAttackOutcome(string Attack, float Strength, bool Fooled, double PerturbationNorm, string Norm, int AdversarialPrediction,
        IReadOnlyList<float>? AdversarialInput);
}
