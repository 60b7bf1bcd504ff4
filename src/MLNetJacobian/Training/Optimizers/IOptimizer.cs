using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// Updates a parameter buffer in place from its gradient. Stateful (momentum, moment estimates): one instance per
/// parameter buffer, its state sized on the first <see cref="Step"/>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Applies one update: <paramref name="parameters"/> moves against <paramref name="gradient"/>. Allocates
    /// nothing after the first call.
    /// </summary>
    /// <remarks>
    /// The return value is the training loop's divergence check, folded into the update pass so that the parameters
    /// are not read a second time. A non-finite gradient makes the updated parameters non-finite (it enters every
    /// update with a non-zero or a zero factor alike: <c>0 * NaN</c> is NaN), so it is caught here too.
    /// </remarks>
    /// <param name="parameters">The parameter buffer <c>[P]</c>, updated in place.</param>
    /// <param name="gradient">The gradient of the loss with respect to the parameters <c>[P]</c>.</param>
    /// <param name="learningRate">The step size of this step (finite, at least 0).</param>
    /// <returns>Whether every updated parameter is finite.</returns>
    bool Step(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate);

    /// <summary>Forgets the state (momentum, moments, step count), as if no step had been taken.</summary>
    void Reset();
}
