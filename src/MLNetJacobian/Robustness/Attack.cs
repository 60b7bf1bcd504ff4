namespace MLNetJacobian.Robustness;

/// <summary>
/// An attack: a recipe that, given a classifier and inputs, looks for nearby inputs that are misclassified.
/// Instances are immutable configuration; the work happens in an <see cref="AttackWorker"/>, one per thread.
/// </summary>
/// <remarks>
/// Every attack runs through <see cref="AttackWorker.Run"/>, which projects the result onto the epsilon ball of
/// <see cref="Norm"/> and clips it to the input bounds after the attack's own work: no attack can return an input
/// outside them. An attack has a strength parameter per run: the ball radius epsilon, or, for noise attacks
/// without a ball (<see cref="Norm"/> is null), the noise scale.
/// </remarks>
public abstract class Attack
{
    /// <summary>A short display name, unique within a suite (for example <c>PGD-40 L-inf</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The norm whose ball bounds the perturbation; null for noise attacks measured by a noise scale.</summary>
    public abstract PerturbationNorm? Norm { get; }

    /// <summary>Whether the attack needs input gradients (an <see cref="IDifferentiableClassifier"/>).</summary>
    public abstract bool RequiresGradient { get; }

    /// <summary>
    /// The strengths to run this attack at, overriding the evaluator's epsilon grid (null: use the grid). For an
    /// attack without a norm these are noise scales (the Gaussian noise's standard deviations).
    /// </summary>
    public IReadOnlyList<float>? Strengths { get; init; }

    /// <summary>
    /// Whether the attack's inputs are clipped to the input bounds (true for every attack but an unclipped
    /// <see cref="GaussianNoiseAttack"/>); the evaluator checks the bounds only for those that are.
    /// </summary>
    internal virtual bool ClipsToBounds => true;

    /// <summary>Every hyperparameter, formatted for reports.</summary>
    public abstract IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Creates the per-thread state of this attack against <paramref name="model"/>.</summary>
    /// <param name="model">The attacked model (one thread instance).</param>
    /// <param name="bounds">The input bounds.</param>
    /// <param name="maxRows">The largest batch that will be passed to <see cref="AttackWorker.Run"/>.</param>
    public abstract AttackWorker CreateWorker(IClassifierScores model, InputBounds bounds, int maxRows);

    /// <inheritdoc />
    public override string ToString() => Name;
}
