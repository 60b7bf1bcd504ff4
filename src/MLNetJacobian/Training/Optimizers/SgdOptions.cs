using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// Settings of <see cref="SgdOptimizer{T}"/>. Momentum and weight decay have no default here: the trainer's options
/// (<c>JacobianRegularizedTrainer.Defaults</c>) are where defaults live.
/// </summary>
internal sealed record SgdOptions : OptimizerOptions
{
    private readonly double _momentum;
    private readonly double _weightDecay;

    /// <summary>The momentum coefficient <c>mu</c> in <c>[0, 1)</c>; 0 is plain SGD.</summary>
    public required double Momentum
    {
        get => _momentum;
        init
        {
            OptimizerArguments.ValidateMomentum(value, nameof(Momentum));
            _momentum = value;
        }
    }

    /// <summary>Whether to use Nesterov momentum (needs <see cref="Momentum"/> &gt; 0, checked when the optimizer is created).</summary>
    public bool Nesterov { get; init; }

    /// <summary>The L2 weight decay added to the gradient, <c>g += WeightDecay * p</c>; finite and at least 0.</summary>
    public required double WeightDecay
    {
        get => _weightDecay;
        init
        {
            OptimizerArguments.ValidateWeightDecay(value, nameof(WeightDecay));
            _weightDecay = value;
        }
    }

    /// <inheritdoc />
    public override IOptimizer<T> CreateOptimizer<T>() => new SgdOptimizer<T>(Momentum, Nesterov, WeightDecay);
}
