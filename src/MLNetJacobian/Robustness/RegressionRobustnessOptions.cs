namespace MLNetJacobian.Robustness;

/// <summary>What an attack on a regression model maximizes.</summary>
public enum RegressionObjective
{
    /// <summary>The prediction change <c>|f(x + d) - f(x)|</c>.</summary>
    PredictionChange,

    /// <summary>The error <c>|f(x + d) - y|</c> against the label.</summary>
    Error,
}

/// <summary>
/// Settings of a regression robustness evaluation; the shared ones (columns, bounds, epsilons, perturbed features,
/// per-feature scales, seed) are on <see cref="PerturbationOptions"/>. Bounds default to none (infinite), as suits
/// tabular data; give <see cref="PerturbationOptions.FeatureScaleData"/> (or epsilons in feature units).
/// </summary>
public sealed record RegressionRobustnessOptions : PerturbationOptions
{
    /// <summary>Creates the options with no input box (<c>LowerBound</c> and <c>UpperBound</c> infinite).</summary>
    public RegressionRobustnessOptions()
    {
        LowerBound = float.NegativeInfinity;
        UpperBound = float.PositiveInfinity;
    }

    /// <summary>
    /// What the searching attacks (gradient and black-box) maximize; each objective runs as its own curve. Default both,
    /// the prediction change first. Noise attacks are not searches and run once.
    /// </summary>
    public IReadOnlyList<RegressionObjective> Objectives { get; init; } = [RegressionObjective.PredictionChange, RegressionObjective.Error];

    /// <summary>
    /// The default suite: one draw of uniform noise (L-inf) and of Gaussian noise, FGSM L-inf, PGD-40 L-inf, PGD-40 L2
    /// and a Square search of 1000 queries (L-inf, the black-box search every model gets). Gradient attacks are skipped,
    /// with a notice, for models that provide no gradient.
    /// </summary>
    public static IReadOnlyList<Attack> DefaultAttacks() =>
    [
        new UniformNoiseAttack(draws: 1),
        new GaussianNoiseAttack(draws: 1),
        PgdAttack.Fgsm(PerturbationNorm.LInfinity),
        new PgdAttack(PerturbationNorm.LInfinity),
        new PgdAttack(PerturbationNorm.L2),
        new SquareAttack(maxQueries: 1000),
    ];

    /// <inheritdoc />
    internal override void Validate()
    {
        base.Validate();
        if (Objectives is null || Objectives.Count == 0) throw new ArgumentException("Objectives is empty; give PredictionChange, Error or both.", nameof(Objectives));
        if (Objectives.Distinct().Count() != Objectives.Count) throw new ArgumentException($"Objectives lists an objective twice: {string.Join(", ", Objectives)}.", nameof(Objectives));
        foreach (RegressionObjective objective in Objectives)
        {
            if (!Enum.IsDefined(objective)) throw new ArgumentOutOfRangeException(nameof(Objectives), objective, "Unknown regression objective.");
        }
    }
}
