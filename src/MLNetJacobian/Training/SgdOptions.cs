using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// Settings of <see cref="SgdOptimizer{T}"/>. The defaults are the reference implementation's MNIST setting:
/// momentum 0.9, no Nesterov, weight decay 5e-4.
/// </summary>
public sealed record SgdOptions : OptimizerOptions
{
    private readonly double momentum = 0.9;
    private readonly double weightDecay = 5e-4;

    /// <summary>The momentum coefficient <c>mu</c> in <c>[0, 1)</c>; 0 is plain SGD.</summary>
    public double Momentum
    {
        get => momentum;
        init
        {
            OptimizerArguments.ValidateMomentum(value, nameof(Momentum));
            momentum = value;
        }
    }

    /// <summary>Whether to use Nesterov momentum (needs <see cref="Momentum"/> &gt; 0, checked when the optimizer is created).</summary>
    public bool Nesterov { get; init; }

    /// <summary>The L2 weight decay added to the gradient, <c>g += WeightDecay * p</c>; finite and at least 0.</summary>
    public double WeightDecay
    {
        get => weightDecay;
        init
        {
            OptimizerArguments.ValidateWeightDecay(value, nameof(WeightDecay));
            weightDecay = value;
        }
    }

    /// <inheritdoc />
    public override IOptimizer<T> CreateOptimizer<T>() => new SgdOptimizer<T>(Momentum, Nesterov, WeightDecay);
}
