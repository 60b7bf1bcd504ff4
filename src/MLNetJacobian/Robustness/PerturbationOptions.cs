using Microsoft.ML;

namespace MLNetJacobian.Robustness;

/// <summary>
/// The settings every robustness evaluation shares (classification: <see cref="RobustnessOptions"/>; regression:
/// <see cref="RegressionRobustnessOptions"/>): columns, the input box, the epsilon grid, the attacks, the seed, which
/// features may move and in what units epsilon is measured. Every value here is written into the report.
/// </summary>
/// <remarks>
/// <para>Tabular data: <see cref="PerturbedFeatures"/> (slot names) or <see cref="PerturbedSlots"/> (indices) choose
/// the features an attack may move; every other slot (for example the one-hot slots of a categorical column) keeps its
/// value, which the evaluator checks on every perturbed input. <see cref="FeatureScaleData"/> (the training data: each
/// slot's standard deviation) or <see cref="FeatureScales"/> (given per slot) make epsilon per feature in that feature's
/// own scale: a perturbation <c>d</c> is measured as <c>d_j / scale_j</c>, so epsilon 0.1 in L-inf lets every moved
/// feature change by a tenth of its standard deviation, whatever its units.</para>
/// <para>Bounds are in raw feature units; infinite bounds (<c>float.NegativeInfinity</c>, <c>float.PositiveInfinity</c>)
/// mean no box. The default epsilons and noise scales are fractions of a unit: one scale unit when scales are given,
/// otherwise the input range <c>UpperBound - LowerBound</c> (which must then be finite).</para>
/// </remarks>
public abstract record PerturbationOptions
{
    /// <summary>The input column attacked (a known-size vector of Single, or a Single); default <c>Features</c>.</summary>
    public string FeatureColumnName { get; init; } = "Features";

    /// <summary>
    /// The label column; default <c>Label</c>. Multiclass: a key or an integer-valued number in <c>[0, C)</c>; binary: a
    /// Boolean (or 0/1); regression: a number.
    /// </summary>
    public string LabelColumnName { get; init; } = "Label";

    /// <summary>The model's output column of scores; default <c>Score</c>.</summary>
    public string ScoreColumnName { get; init; } = "Score";

    /// <summary>The smallest valid feature value, in raw units (inputs are clipped to it); <c>float.NegativeInfinity</c> for none.</summary>
    public float LowerBound { get; init; }

    /// <summary>The largest valid feature value, in raw units (inputs are clipped to it); <c>float.PositiveInfinity</c> for none.</summary>
    public float UpperBound { get; init; } = 1f;

    /// <summary>
    /// The attack strengths (ball radii) evaluated, each at least 0, in feature units (scale units when scales are
    /// given); null (the default) for <see cref="DefaultRelativeEpsilons"/> times the unit (see the remarks). The report
    /// says which were used and where they came from.
    /// </summary>
    public IReadOnlyList<float>? Epsilons { get; init; }

    /// <summary>The default epsilons as fractions of the unit: 0.05, 0.1, 0.2, 0.3.</summary>
    public static IReadOnlyList<float> DefaultRelativeEpsilons { get; } = [0.05f, 0.1f, 0.2f, 0.3f];

    /// <summary>The attacks; null for the task's default suite.</summary>
    public IReadOnlyList<Attack>? Attacks { get; init; }

    /// <summary>
    /// The seed of every random draw (each attack, strength and batch derives its own from it); null (the default) for
    /// a seed drawn from the MLContext's random source when evaluating through the catalog (so <c>new MLContext(seed: 1)</c>
    /// makes the evaluation reproducible), and 0 otherwise. The report gives the seed actually used.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Keep each attacked example's adversarial input (in raw feature units, D values per example, attack and strength)
    /// in the report; default false.
    /// </summary>
    public bool IncludeAdversarialInputs { get; init; }

    /// <summary>Evaluate only the first rows of the data; null for all.</summary>
    public int? MaxExamples { get; init; }

    /// <summary>Rows per attack batch; default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Threads that share the batches, each with its own model instance; default the smaller of 2 and the core count.</summary>
    public int ThreadCount { get; init; } = Math.Min(2, Environment.ProcessorCount);

    /// <summary>Whether to run the sanity checks (they run on a subset of examples); default true.</summary>
    public bool RunSanityChecks { get; init; } = true;

    /// <summary>How many examples the sanity checks that rerun attacks use; default 200.</summary>
    public int SanityExampleCount { get; init; } = 200;

    /// <summary>The difference (a fraction of the examples) a sanity check tolerates before it warns; default 0.02.</summary>
    public double SanityTolerance { get; init; } = 0.02;

    /// <summary>
    /// For ML.NET models: attack this library's networks and ML.NET's linear predictors (behind affine normalizers)
    /// white-box through their weights when their scores can be reproduced; default true. When false, every model is
    /// treated as a black box.
    /// </summary>
    public bool UseModelWeights { get; init; } = true;

    /// <summary>
    /// The slot names (the feature column's <c>SlotNames</c>, as <c>Concatenate</c> and <c>OneHotEncoding</c> write them)
    /// of the features attacks may move; null (with <see cref="PerturbedSlots"/> null) for all. Do not combine with
    /// <see cref="PerturbedSlots"/>.
    /// </summary>
    public IReadOnlyList<string>? PerturbedFeatures { get; init; }

    /// <summary>The slot indices (0-based) of the features attacks may move; null for all (or for <see cref="PerturbedFeatures"/>).</summary>
    public IReadOnlyList<int>? PerturbedSlots { get; init; }

    /// <summary>
    /// Each slot's scale in raw units (D positive values; fixed slots are not read): epsilon and noise are measured in
    /// these units. Do not combine with <see cref="FeatureScaleData"/>.
    /// </summary>
    public IReadOnlyList<float>? FeatureScales { get; init; }

    /// <summary>
    /// Data (normally the training set) with the feature column: each slot's standard deviation over its rows becomes
    /// its scale (see <see cref="FeatureScales"/>). A moved slot that is constant there is an error.
    /// </summary>
    public IDataView? FeatureScaleData { get; init; }

    /// <summary>Whether epsilon is measured in per-feature scale units.</summary>
    internal bool HasFeatureScales => FeatureScales is not null || FeatureScaleData is not null;

    /// <summary>Whether both bounds are finite.</summary>
    internal bool IsBounded => float.IsFinite(LowerBound) && float.IsFinite(UpperBound);

    /// <summary>
    /// The unit the relative defaults multiply: one scale unit with per-feature scales, else the input range; null when
    /// neither exists (no scales, infinite bounds).
    /// </summary>
    internal (float Value, string Name)? RelativeUnit =>
        HasFeatureScales ? (1f, "one feature scale unit")
        : IsBounded ? (UpperBound - LowerBound, $"the input range {Invariant(UpperBound - LowerBound)}")
        : null;

    /// <summary>The epsilons to run: <see cref="Epsilons"/>, else the defaults times the unit; and how they were chosen.</summary>
    /// <exception cref="ArgumentException">No epsilons were given and there is no unit (infinite bounds, no scales).</exception>
    internal (float[] Values, string Source) ResolveEpsilons()
    {
        if (Epsilons is not null) return (Epsilons.ToArray(), "given");
        (float unit, string name) = RelativeUnit ?? throw NoUnit(nameof(Epsilons));
        return (DefaultRelativeEpsilons.Select(f => f * unit).ToArray(),
            $"default: {string.Join(", ", DefaultRelativeEpsilons.Select(Invariant))} x {name}");
    }

    /// <summary>The error for a relative default without a unit.</summary>
    internal static ArgumentException NoUnit(string setting) => new(
        $"The bounds are infinite and no feature scales are given, so there is no unit for the default {setting}: give {setting} " +
        "in feature units, finite LowerBound and UpperBound, or FeatureScaleData / FeatureScales.", setting);

    /// <summary>The seed to run with and where it came from: the options' own, else the one drawn from the MLContext, else 0.</summary>
    /// <param name="contextSeed">A seed drawn from the MLContext's random source; null outside the catalog.</param>
    internal (int Seed, string Source) ResolveSeed(int? contextSeed) =>
        Seed is { } given ? (given, "given")
        : contextSeed is { } drawn ? (drawn, "drawn from the MLContext's random source")
        : (0, "default 0 (no seed given)");

    internal static string Invariant(float value) => value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Checks every setting; errors name the setting and carry its value.</summary>
    internal virtual void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(FeatureColumnName, nameof(FeatureColumnName));
        ArgumentException.ThrowIfNullOrEmpty(LabelColumnName, nameof(LabelColumnName));
        ArgumentException.ThrowIfNullOrEmpty(ScoreColumnName, nameof(ScoreColumnName));
        if (float.IsNaN(LowerBound) || float.IsPositiveInfinity(LowerBound)) throw new ArgumentOutOfRangeException(nameof(LowerBound), LowerBound, "The lower bound must be finite (or negative infinity for none).");
        if (float.IsNaN(UpperBound) || float.IsNegativeInfinity(UpperBound)) throw new ArgumentOutOfRangeException(nameof(UpperBound), UpperBound, "The upper bound must be finite (or positive infinity for none).");
        if (!(LowerBound < UpperBound))
        {
            throw new ArgumentException($"LowerBound ({LowerBound}) must be below UpperBound ({UpperBound}); were they reversed?", nameof(LowerBound));
        }

        if (Epsilons is not null) ValidateStrengths(Epsilons, nameof(Epsilons));
        if (Attacks is not null)
        {
            if (Attacks.Count == 0) throw new ArgumentException("Attacks is empty; pass null for the default suite.", nameof(Attacks));
            var names = new HashSet<string>();
            foreach (Attack? attack in Attacks)
            {
                if (attack is null) throw new ArgumentException("Attacks holds a null entry.", nameof(Attacks));
                if (!names.Add(attack.Name)) throw new ArgumentException($"Two attacks are named '{attack.Name}'; names must be unique.", nameof(Attacks));
                if (attack.Strengths is { } strengths) ValidateStrengths(strengths, $"{nameof(Attacks)}['{attack.Name}'].{nameof(Attack.Strengths)}");
                if (attack.RelativeStrengths is { } relative) ValidateStrengths(relative, $"{nameof(Attacks)}['{attack.Name}'].{nameof(Attack.RelativeStrengths)}");
            }
        }

        if (MaxExamples is < 1) throw new ArgumentOutOfRangeException(nameof(MaxExamples), MaxExamples, "MaxExamples must be at least 1 (or null for all rows).");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (ThreadCount < 1) throw new ArgumentOutOfRangeException(nameof(ThreadCount), ThreadCount, "ThreadCount must be at least 1.");
        if (SanityExampleCount < 1) throw new ArgumentOutOfRangeException(nameof(SanityExampleCount), SanityExampleCount, "SanityExampleCount must be at least 1.");
        if (!(SanityTolerance >= 0 && SanityTolerance < 1)) throw new ArgumentOutOfRangeException(nameof(SanityTolerance), SanityTolerance, "SanityTolerance must be in [0, 1).");
        if (PerturbedFeatures is not null && PerturbedSlots is not null)
        {
            throw new ArgumentException("Both PerturbedFeatures (slot names) and PerturbedSlots (indices) are set; give one.", nameof(PerturbedFeatures));
        }

        if (PerturbedFeatures is { Count: 0 } || PerturbedSlots is { Count: 0 })
        {
            throw new ArgumentException("The list of perturbed features is empty; give at least one, or null to perturb every feature.", PerturbedFeatures is not null ? nameof(PerturbedFeatures) : nameof(PerturbedSlots));
        }

        if (FeatureScales is not null && FeatureScaleData is not null)
        {
            throw new ArgumentException("Both FeatureScales and FeatureScaleData are set; give one.", nameof(FeatureScales));
        }
    }

    private protected static void ValidateStrengths(IReadOnlyList<float> values, string name)
    {
        if (values.Count == 0) throw new ArgumentException($"{name} is empty; give at least one epsilon.", name);
        foreach (float value in values)
        {
            if (!(value >= 0) || !float.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(name, value, $"Every epsilon in {name} must be finite and at least 0; got {value}.");
            }
        }
    }
}
