using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay, as PyTorch's <c>SGD</c>.</summary>
/// <remarks>
/// <para>One step with gradient <c>grad</c>, parameters <c>p</c>, learning rate <c>lr</c>:</para>
/// <code>
/// g = grad + weightDecay * p
/// b = g                      (first step after creation or Reset)
/// b = mu * b + g             (later steps; no dampening)
/// u = g + mu * b  if Nesterov,  b  otherwise   (u = g when mu = 0)
/// p = p - lr * u
/// </code>
/// <para>
/// The whole step is one vectorized pass over <c>p</c>, <c>grad</c> and <c>b</c> (each element read once, <c>p</c> and
/// <c>b</c> written once), which also checks that every updated parameter is finite.
/// </para>
/// <para>
/// Weight decay applies to every parameter, biases included, as in the reference implementation (which passes all
/// of the model's parameters to PyTorch's SGD with one weight decay).
/// </para>
/// <para>
/// With <see cref="Threads"/> above 1 the pass runs in parallel slices of the buffer (from 65,536 parameters), with
/// the same result bit for bit.
/// </para>
/// <para>State: the momentum buffer <c>b: [P]</c>, allocated on the first step (none without momentum).</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class SgdOptimizer<T> : IOptimizer<T>, ISlicedOptimizer where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SlicedParameterUpdate<T, SgdStep<T>> _slices = new();
    private int _threads = 1;
    private T[] _momentumBuffer = [];   // b: [P]
    private int _stateLength;           // P of the buffer this optimizer steps, 0 before the first step
    private bool _hasMomentumState;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="momentum">The momentum coefficient <c>mu</c> in <c>[0, 1)</c>; 0 is plain SGD.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum (needs <paramref name="momentum"/> &gt; 0).</param>
    /// <param name="weightDecay">The L2 weight decay added to the gradient; finite and at least 0.</param>
    public SgdOptimizer(double momentum = 0.9, bool nesterov = false, double weightDecay = 5e-4)
    {
        OptimizerArguments.ValidateMomentum(momentum, nameof(momentum));
        OptimizerArguments.ValidateWeightDecay(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(nesterov), nesterov, "Nesterov momentum needs a momentum greater than 0.");
        }

        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
    }

    /// <summary>The momentum coefficient <c>mu</c>.</summary>
    public double Momentum { get; }

    /// <summary>Whether the update uses Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>The L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    public bool Step(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate)
    {
        OptimizerArguments.ValidateLearningRate(learningRate, nameof(learningRate));
        OptimizerArguments.ValidateLengths(parameters.Length, gradient.Length, _stateLength);
        if (_stateLength == 0 && parameters.Length > 0)
        {
            _stateLength = parameters.Length;
            if (Momentum != 0) _momentumBuffer = new T[parameters.Length];
        }

        var step = new SgdStep<T>(T.CreateTruncating(WeightDecay), T.CreateTruncating(Momentum), T.CreateTruncating(-learningRate),
            Momentum != 0, Momentum != 0 && !_hasMomentumState, Nesterov);
        _hasMomentumState = Momentum != 0;
        return _slices.Apply(step, parameters, gradient, _momentumBuffer.AsSpan(0, Momentum != 0 ? parameters.Length : 0), [], Threads);
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
        _hasMomentumState = false;
        _momentumBuffer = [];
        _stateLength = 0;
    }
}
