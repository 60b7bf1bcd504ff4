namespace MLNetJacobian.Robustness;

/// <summary>
/// Settings of a classification robustness evaluation (multiclass and binary); the shared ones, including the tabular
/// feature choice and per-feature scales, are on <see cref="PerturbationOptions"/>. Every value here is written into the report.
/// </summary>
public sealed record RobustnessOptions : PerturbationOptions
{
    /// <summary>
    /// The attack used for the per-example minimal-perturbation bisection; null for PGD-20 L-inf on a differentiable
    /// model and Square-1000 otherwise.
    /// </summary>
    public Attack? MinimalPerturbationAttack { get; init; }

    /// <summary>Bisection steps per example for the minimal perturbation (0 turns the search off); default 8.</summary>
    public int BisectionSteps { get; init; } = 8;

    /// <summary>
    /// The default suite: uniform noise, Gaussian noise, FGSM, PGD-40, APGD-CE, APGD-DLR (three or more classes) and
    /// Square-5000, all L-inf except the Gaussian noise. Gradient attacks are skipped, with a notice, for models that
    /// provide no gradient.
    /// </summary>
    /// <param name="classCount">C (2 for a binary classifier); APGD-DLR needs at least 3 classes.</param>
    public static IReadOnlyList<Attack> DefaultAttacks(int classCount)
    {
        var attacks = new List<Attack>
        {
            new UniformNoiseAttack(),
            new GaussianNoiseAttack(),
            PgdAttack.Fgsm(PerturbationNorm.LInfinity),
            new PgdAttack(PerturbationNorm.LInfinity),
            new ApgdAttack(ILogitLoss.CrossEntropy),
        };
        if (classCount >= 3) attacks.Add(new ApgdAttack(ILogitLoss.DifferenceOfLogitsRatio));
        attacks.Add(new SquareAttack());
        return attacks;
    }

    /// <inheritdoc />
    internal override void Validate()
    {
        base.Validate();
        if (BisectionSteps < 0) throw new ArgumentOutOfRangeException(nameof(BisectionSteps), BisectionSteps, "BisectionSteps must be at least 0.");
    }
}
