using MLNetJacobian.Models;

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

    /// <summary>What the attack uses of the model (gradients, outputs only, a surrogate, or nothing: noise).</summary>
    public abstract AttackKind Kind { get; }

    /// <summary>Whether the attack needs input gradients (an <see cref="IDifferentiableModel"/>): <see cref="Kind"/> is <see cref="AttackKind.Gradient"/>.</summary>
    public bool RequiresGradient => Kind == AttackKind.Gradient;

    /// <summary>The fewest classes the attack works with (2; APGD-DLR needs 3). The evaluator skips it, with a notice, below that.</summary>
    public virtual int MinimumClassCount => 2;

    /// <summary>Gradient steps per restart for a gradient attack (1 for a one-step attack such as FGSM); null for other kinds.</summary>
    public virtual int? GradientSteps => null;

    /// <summary>
    /// A copy that spends twice the effort (steps, iterations) with the same total step length, for the check that
    /// more effort leaves robust accuracy unchanged; null when the attack has no such knob.
    /// </summary>
    public virtual Attack? WithDoubledEffort() => null;

    /// <summary>
    /// Whether this attack should, per example, find every adversarial input <paramref name="other"/> finds at the same
    /// strength (an iterative gradient attack against a one-step one of the same norm); the sanity checks test each pair
    /// for which this is true.
    /// </summary>
    /// <param name="other">Another attack of the same evaluation.</param>
    public virtual bool ShouldBeAtLeastAsStrongAs(Attack other) => false;

    /// <summary>
    /// The strengths to run this attack at, overriding the evaluator's epsilon grid (null: use the grid). For an
    /// attack without a norm these are noise scales (the Gaussian noise's standard deviations).
    /// </summary>
    public IReadOnlyList<float>? Strengths { get; init; }

    /// <summary>
    /// Default strengths as fractions of the input range (<c>UpperBound - LowerBound</c>), used when
    /// <see cref="Strengths"/> is null (null: the evaluator's epsilon grid). The Gaussian noise's sigmas default to
    /// 0.1, 0.2, 0.3 and 0.5 of the range, so noise on 0..16 features is as strong as on 0..1 features.
    /// </summary>
    public IReadOnlyList<float>? RelativeStrengths { get; init; }

    /// <summary>
    /// Whether the attack's inputs are clipped to the input bounds (true for every attack but an unclipped
    /// <see cref="GaussianNoiseAttack"/>); the evaluator checks the bounds only for those that are. An attack that
    /// returns false gives its worker unbounded <see cref="InputBounds"/>.
    /// </summary>
    public virtual bool ClipsToBounds => true;

    /// <summary>Every hyperparameter, formatted for reports.</summary>
    public abstract IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Creates the per-thread state of this attack against <paramref name="model"/>.</summary>
    /// <param name="model">The attacked model (one thread instance).</param>
    /// <param name="bounds">The input bounds.</param>
    /// <param name="maxRows">The largest batch that will be passed to <see cref="AttackWorker.Run"/>.</param>
    public abstract AttackWorker CreateWorker(IModel model, InputBounds bounds, int maxRows);

    /// <inheritdoc />
    public override string ToString() => Name;
}
