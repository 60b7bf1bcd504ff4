using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// Settings of <see cref="AdamOptimizer{T}"/>. The moment decays and epsilon have no default here: the trainer's options
/// (<c>JacobianRegularizedTrainer.Defaults</c>) are where defaults live. No weight decay unless set.
/// </summary>
internal sealed record AdamOptions : OptimizerOptions
{
    private readonly double beta1;
    private readonly double beta2;
    private readonly double epsilon;
    private readonly double weightDecay;

    /// <summary>The decay of the first-moment estimate, in <c>[0, 1)</c>.</summary>
    public required double Beta1
    {
        get => beta1;
        init
        {
            OptimizerArguments.ValidateBeta(value, nameof(Beta1));
            beta1 = value;
        }
    }

    /// <summary>The decay of the second-moment estimate, in <c>[0, 1)</c>.</summary>
    public required double Beta2
    {
        get => beta2;
        init
        {
            OptimizerArguments.ValidateBeta(value, nameof(Beta2));
            beta2 = value;
        }
    }

    /// <summary>The term added to the denominator for numerical stability; finite and greater than 0.</summary>
    public required double Epsilon
    {
        get => epsilon;
        init
        {
            OptimizerArguments.ValidateEpsilon(value, nameof(Epsilon));
            epsilon = value;
        }
    }

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
    public override IOptimizer<T> CreateOptimizer<T>() => new AdamOptimizer<T>(Beta1, Beta2, Epsilon, WeightDecay);
}
