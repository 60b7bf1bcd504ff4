using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// An objective that the training loop minimises: it evaluates the loss of one batch and writes its gradient
/// with respect to the network's parameter buffer.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal interface IBatchObjective<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>D, the number of features per row.</summary>
    int FeatureCount { get; }

    /// <summary>C, the number of network outputs (classes for the softmax; 1 for binary and regression).</summary>
    int OutputCount { get; }

    /// <summary>The head and data loss that compares the outputs with the targets.</summary>
    OutputLoss Loss { get; }

    /// <summary>The largest batch <see cref="Compute"/> accepts (its buffers are allocated once for this size).</summary>
    int MaxBatchSize { get; }

    /// <summary>The number of parameters, the length of the gradient buffer.</summary>
    int ParameterCount { get; }

    /// <summary>
    /// Evaluates the objective on <paramref name="rows"/> rows and overwrites <paramref name="gradient"/> with its
    /// gradient with respect to every parameter. Allocates nothing.
    /// </summary>
    /// <param name="features">Features, row-major <c>[rows, D]</c>.</param>
    /// <param name="targets">The target of each row: a class index (as a number) for the softmax, 0 or 1 for the
    /// sigmoid, the value for regression; checked by <see cref="OutputLoss.CheckTargets{T}"/>.</param>
    /// <param name="weights">Example weights (length <paramref name="rows"/>), or empty for unit weights.</param>
    /// <param name="rows">The batch size, at most <see cref="MaxBatchSize"/>.</param>
    /// <param name="gradient">Receives the gradient, laid out as the network's parameter buffer.</param>
    /// <param name="random">The source of the random projections and of the penalty's row subsample.</param>
    BatchLoss Compute(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, int rows,
        Span<T> gradient, Random random);
}
