using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// Settings of <see cref="AdamOptimizer{T}"/>. The moment decays and epsilon have no default here: the trainer's options
/// (<c>JacobianRegularizedTrainer.Defaults</c>) are where defaults live. No weight decay unless set.
/// </summary>
internal sealed record AdamOptions : OptimizerOptions
{
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private readonly double _weightDecay;

    /// <summary>The decay of the first-moment estimate, in <c>[0, 1)</c>.</summary>
    public required double Beta1
    {
        get => _beta1;
        init
        {
            OptimizerArguments.ValidateBeta(value, nameof(Beta1));
            _beta1 = value;
        }
    }

    /// <summary>The decay of the second-moment estimate, in <c>[0, 1)</c>.</summary>
    public required double Beta2
    {
        get => _beta2;
        init
        {
            OptimizerArguments.ValidateBeta(value, nameof(Beta2));
            _beta2 = value;
        }
    }

    /// <summary>The term added to the denominator for numerical stability; finite and greater than 0.</summary>
    public required double Epsilon
    {
        get => _epsilon;
        init
        {
            OptimizerArguments.ValidateEpsilon(value, nameof(Epsilon));
            _epsilon = value;
        }
    }

    /// <summary>The L2 weight decay added to the gradient, <c>g += WeightDecay * p</c>; finite and at least 0.</summary>
    public double WeightDecay
    {
        get => _weightDecay;
        init
        {
            OptimizerArguments.ValidateWeightDecay(value, nameof(WeightDecay));
            _weightDecay = value;
        }
    }

    /// <inheritdoc />
    public override IOptimizer<T> CreateOptimizer<T>() => new AdamOptimizer<T>(Beta1, Beta2, Epsilon, WeightDecay);
}
