using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// Computes logits for validation rows with the current parameters, so the loop can measure validation loss and
/// accuracy without the objective's gradient or penalty. A network evaluator wrapped in this interface is the
/// usual implementation; a separate interface keeps the loop independent of the network layer.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal interface IValidationScorer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The largest number of rows one <see cref="ComputeLogits"/> call accepts.</summary>
    int MaxBatchSize { get; }

    /// <summary>Computes the logits of <paramref name="rows"/> rows.</summary>
    /// <param name="features">Features, row-major <c>[rows, D]</c>.</param>
    /// <param name="rows">The number of rows, at most <see cref="MaxBatchSize"/>.</param>
    /// <param name="logits">Receives the logits, row-major <c>[rows, C]</c>.</param>
    void ComputeLogits(ReadOnlySpan<T> features, int rows, Span<T> logits);
}
