using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>Adam with bias correction and L2 weight decay added to the gradient, as PyTorch's <c>Adam</c>.</summary>
/// <remarks>
/// <para>Step <c>t = 1, 2, ...</c> with gradient <c>grad</c>, parameters <c>p</c>, learning rate <c>lr</c>:</para>
/// <code>
/// g = grad + weightDecay * p
/// m = beta1 * m + (1 - beta1) * g
/// v = beta2 * v + (1 - beta2) * g^2
/// p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)
/// </code>
/// <para>
/// <c>m</c> and <c>v</c> start at zero. The weight decay is the coupled L2 form (PyTorch <c>Adam</c>, not
/// <c>AdamW</c>) and applies to every parameter, biases included.
/// </para>
/// <para>State: <c>m</c> and <c>v</c>, each <c>[P]</c>, allocated on the first step. The step is one vectorized pass
/// (<see cref="AdamStep{T}"/>) that also checks that every updated parameter is finite.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class AdamOptimizer<T> : IOptimizer<T>, ISlicedOptimizer where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SlicedParameterUpdate<T, AdamStep<T>> _slices = new();
    private int _threads = 1;
    private T[] _firstMoment = [];    // m: [P]
    private T[] _secondMoment = [];   // v: [P]
    private long _stepCount;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="beta1">The decay of the first-moment estimate, in <c>[0, 1)</c>.</param>
    /// <param name="beta2">The decay of the second-moment estimate, in <c>[0, 1)</c>.</param>
    /// <param name="epsilon">The stabilising term of the denominator; finite and greater than 0.</param>
    /// <param name="weightDecay">The L2 weight decay added to the gradient; finite and at least 0.</param>
    public AdamOptimizer(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        OptimizerArguments.ValidateBeta(beta1, nameof(beta1));
        OptimizerArguments.ValidateBeta(beta2, nameof(beta2));
        OptimizerArguments.ValidateEpsilon(epsilon, nameof(epsilon));
        OptimizerArguments.ValidateWeightDecay(weightDecay, nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>The decay of the first-moment estimate.</summary>
    public double Beta1 { get; }

    /// <summary>The decay of the second-moment estimate.</summary>
    public double Beta2 { get; }

    /// <summary>The stabilising term of the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>The L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>The number of steps taken since creation or the last <see cref="Reset"/>.</summary>
    public long StepCount => _stepCount;

    /// <inheritdoc />
    public bool Step(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate)
    {
        OptimizerArguments.ValidateLearningRate(learningRate, nameof(learningRate));
        OptimizerArguments.ValidateLengths(parameters.Length, gradient.Length, _firstMoment.Length);
        if (_firstMoment.Length == 0 && parameters.Length > 0)
        {
            _firstMoment = new T[parameters.Length];
            _secondMoment = new T[parameters.Length];
        }

        _stepCount++;
        double biasCorrection1 = 1 - Math.Pow(Beta1, _stepCount);
        double biasCorrection2 = 1 - Math.Pow(Beta2, _stepCount);
        var step = new AdamStep<T>(T.CreateTruncating(WeightDecay), T.CreateTruncating(Beta1), T.CreateTruncating(1 - Beta1),
            T.CreateTruncating(Beta2), T.CreateTruncating(1 - Beta2), T.CreateTruncating(1 / Math.Sqrt(biasCorrection2)),
            T.CreateTruncating(Epsilon), T.CreateTruncating(-learningRate / biasCorrection1));
        return _slices.Apply(step, parameters, gradient, _firstMoment.AsSpan(0, parameters.Length), _secondMoment.AsSpan(0, parameters.Length), Threads);
    }

    /// <summary>Threads of the update, at least 1 (parallel slices of the parameters; the result does not depend on it).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int Threads
    {
        get => _threads;
        set => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Threads), value, "The thread count must be at least 1.");
    }

    /// <inheritdoc />
    public void Reset()
    {
        _stepCount = 0;
        _firstMoment = [];
        _secondMoment = [];
    }
}
