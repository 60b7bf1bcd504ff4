using System.Numerics;
using MLNetJacobian.Network;

namespace MLNetJacobian.Training;

/// <summary>An <see cref="IValidationScorer{T}"/> that computes logits with a <see cref="NetworkEvaluator{T}"/> (inference only, no penalty).</summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class NetworkEvaluatorScorer<T> : IValidationScorer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly NetworkEvaluator<T> _evaluator;

    /// <summary>Wraps an evaluator; it reads its network's parameters at each call, so it follows training.</summary>
    /// <param name="evaluator">The evaluator of the network being trained.</param>
    public NetworkEvaluatorScorer(NetworkEvaluator<T> evaluator)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        _evaluator = evaluator;
    }

    /// <inheritdoc />
    public int MaxBatchSize => _evaluator.MaxBatchSize;

    /// <inheritdoc />
    public void ComputeLogits(ReadOnlySpan<T> features, int rows, Span<T> logits) => _evaluator.ComputeLogits(features, rows, logits);
}
