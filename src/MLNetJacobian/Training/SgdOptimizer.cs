using System.Numerics;
using System.Numerics.Tensors;

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
/// Weight decay applies to every parameter, biases included, as in the reference implementation (which passes all
/// of the model's parameters to PyTorch's SGD with one weight decay).
/// </para>
/// <para>State: the momentum buffer <c>b</c> and one scratch buffer, each <c>[P]</c>, allocated on the first step.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class SgdOptimizer<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] momentumBuffer = [];   // b: [P]
    private T[] update = [];           // g, then u: [P]
    private bool hasMomentumState;

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
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate)
    {
        OptimizerArguments.ValidateLearningRate(learningRate, nameof(learningRate));
        OptimizerArguments.ValidateLengths(parameters.Length, gradient.Length, update.Length);
        if (update.Length == 0 && parameters.Length > 0)
        {
            update = new T[parameters.Length];
            if (Momentum != 0) momentumBuffer = new T[parameters.Length];
        }

        Span<T> g = update.AsSpan(0, parameters.Length);
        if (WeightDecay != 0)
        {
            TensorPrimitives.MultiplyAdd(parameters, T.CreateTruncating(WeightDecay), gradient, g);
        }
        else
        {
            gradient.CopyTo(g);
        }

        if (Momentum != 0)
        {
            Span<T> b = momentumBuffer.AsSpan(0, parameters.Length);
            T mu = T.CreateTruncating(Momentum);
            if (hasMomentumState)
            {
                TensorPrimitives.MultiplyAdd(b, mu, g, b);
            }
            else
            {
                g.CopyTo(b);
                hasMomentumState = true;
            }

            if (Nesterov)
            {
                TensorPrimitives.MultiplyAdd(b, mu, g, g);
            }
            else
            {
                b.CopyTo(g);
            }
        }

        TensorPrimitives.MultiplyAdd(g, T.CreateTruncating(-learningRate), parameters, parameters);
    }

    /// <inheritdoc />
    public void Reset()
    {
        hasMomentumState = false;
        momentumBuffer = [];
        update = [];
    }
}
