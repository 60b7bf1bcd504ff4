namespace MLNetJacobian.Robustness;

/// <summary>Settings of a robustness evaluation. Every value here is written into the report.</summary>
public sealed record RobustnessOptions
{
    /// <summary>The input column attacked (a known-size vector of Single, or a Single); default <c>Features</c>.</summary>
    public string FeatureColumnName { get; init; } = "Features";

    /// <summary>The label column (a key, or an integer-valued number in <c>[0, C)</c>); default <c>Label</c>.</summary>
    public string LabelColumnName { get; init; } = "Label";

    /// <summary>The model's output column of class scores; default <c>Score</c>.</summary>
    public string ScoreColumnName { get; init; } = "Score";

    /// <summary>The smallest valid feature value (inputs are clipped to it); default 0.</summary>
    public float LowerBound { get; init; }

    /// <summary>The largest valid feature value (inputs are clipped to it); default 1.</summary>
    public float UpperBound { get; init; } = 1f;

    /// <summary>
    /// The attack strengths (ball radii) evaluated, each at least 0, in feature units; null (the default) for
    /// <see cref="DefaultRelativeEpsilons"/> times the input range <c>UpperBound - LowerBound</c> (0.05, 0.1, 0.2, 0.3 on
    /// [0, 1]; 0.8, 1.6, 3.2, 4.8 on [0, 16]). The report says which were used and where they came from.
    /// </summary>
    public IReadOnlyList<float>? Epsilons { get; init; }

    /// <summary>The default epsilons as fractions of the input range: 0.05, 0.1, 0.2, 0.3.</summary>
    public static IReadOnlyList<float> DefaultRelativeEpsilons { get; } = [0.05f, 0.1f, 0.2f, 0.3f];

    /// <summary>The attacks; null for <see cref="DefaultAttacks"/>.</summary>
    public IReadOnlyList<Attack>? Attacks { get; init; }

    /// <summary>
    /// The seed of every random draw (each attack, strength and batch derives its own from it); null (the default) for
    /// a seed drawn from the MLContext's random source when evaluating through the catalog (so <c>new MLContext(seed: 1)</c>
    /// makes the evaluation reproducible), and 0 otherwise. The report gives the seed actually used.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Keep each attacked example's adversarial input in the report (<see cref="ExampleAttackOutcome.AdversarialInput"/>,
    /// D values per example, attack and strength); default false (fooled or not, the perturbation norm and the prediction are always kept).
    /// </summary>
    public bool IncludeAdversarialInputs { get; init; }

    /// <summary>Evaluate only the first rows of the data; null for all.</summary>
    public int? MaxExamples { get; init; }

    /// <summary>Rows per attack batch; default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Threads that share the batches, each with its own model instance; default the smaller of 2 and the core count.</summary>
    public int ThreadCount { get; init; } = Math.Min(2, Environment.ProcessorCount);

    /// <summary>
    /// The attack used for the per-example minimal-perturbation bisection; null for PGD-20 L-inf on a differentiable
    /// model and Square-1000 otherwise.
    /// </summary>
    public Attack? MinimalPerturbationAttack { get; init; }

    /// <summary>Bisection steps per example for the minimal perturbation (0 turns the search off); default 8.</summary>
    public int BisectionSteps { get; init; } = 8;

    /// <summary>Whether to run the sanity checks (they run on a subset of examples); default true.</summary>
    public bool RunSanityChecks { get; init; } = true;

    /// <summary>How many correctly classified examples the sanity checks that rerun attacks use; default 200.</summary>
    public int SanityExampleCount { get; init; } = 200;

    /// <summary>The accuracy difference (a fraction) a sanity check tolerates before it warns; default 0.02.</summary>
    public double SanityTolerance { get; init; } = 0.02;

    /// <summary>
    /// For ML.NET models: attack a linear multiclass predictor (behind affine normalizers) white-box through its
    /// weights when its scores can be reproduced; default true. When false, every model is treated as a black box.
    /// </summary>
    public bool UseModelWeights { get; init; } = true;

    /// <summary>
    /// The default suite: uniform noise, Gaussian noise, FGSM, PGD-40, APGD-CE, APGD-DLR (three or more classes) and
    /// Square-5000, all L-inf except the Gaussian noise. Gradient attacks are skipped, with a notice, for models that
    /// provide no gradient.
    /// </summary>
    /// <param name="classCount">C; APGD-DLR needs at least 3 classes.</param>
    public static IReadOnlyList<Attack> DefaultAttacks(int classCount)
    {
        var attacks = new List<Attack>
        {
            new UniformNoiseAttack(),
            new GaussianNoiseAttack(),
            PgdAttack.Fgsm(PerturbationNorm.LInfinity),
            new PgdAttack(PerturbationNorm.LInfinity),
            new ApgdAttack(new CrossEntropyLoss()),
        };
        if (classCount >= 3) attacks.Add(new ApgdAttack(new DifferenceOfLogitsRatioLoss()));
        attacks.Add(new SquareAttack());
        return attacks;
    }

    /// <summary>The epsilons to run: <see cref="Epsilons"/>, else the defaults scaled to the bounds; and how they were chosen.</summary>
    internal (float[] Values, string Source) ResolveEpsilons()
    {
        if (Epsilons is not null) return (Epsilons.ToArray(), "given");
        float range = UpperBound - LowerBound;
        return (DefaultRelativeEpsilons.Select(f => f * range).ToArray(),
            $"default: {string.Join(", ", DefaultRelativeEpsilons.Select(Invariant))} x the input range {Invariant(range)}");
    }

    internal static string Invariant(float value) => value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Checks every setting; errors name the setting and carry its value.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(FeatureColumnName, nameof(FeatureColumnName));
        ArgumentException.ThrowIfNullOrEmpty(LabelColumnName, nameof(LabelColumnName));
        ArgumentException.ThrowIfNullOrEmpty(ScoreColumnName, nameof(ScoreColumnName));
        if (!float.IsFinite(LowerBound)) throw new ArgumentOutOfRangeException(nameof(LowerBound), LowerBound, "The lower bound must be finite.");
        if (!float.IsFinite(UpperBound)) throw new ArgumentOutOfRangeException(nameof(UpperBound), UpperBound, "The upper bound must be finite.");
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

        if (MaxExamples is { } max && max < 1) throw new ArgumentOutOfRangeException(nameof(MaxExamples), max, "MaxExamples must be at least 1 (or null for all rows).");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (ThreadCount < 1) throw new ArgumentOutOfRangeException(nameof(ThreadCount), ThreadCount, "ThreadCount must be at least 1.");
        if (BisectionSteps < 0) throw new ArgumentOutOfRangeException(nameof(BisectionSteps), BisectionSteps, "BisectionSteps must be at least 0.");
        if (SanityExampleCount < 1) throw new ArgumentOutOfRangeException(nameof(SanityExampleCount), SanityExampleCount, "SanityExampleCount must be at least 1.");
        if (!(SanityTolerance >= 0 && SanityTolerance < 1)) throw new ArgumentOutOfRangeException(nameof(SanityTolerance), SanityTolerance, "SanityTolerance must be in [0, 1).");
    }

    private static void ValidateStrengths(IReadOnlyList<float> values, string name)
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
