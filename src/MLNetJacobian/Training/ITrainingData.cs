using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// A source of rows with targets, read epoch by epoch in batches. The training loop calls <see cref="StartEpoch"/>, then
/// <see cref="NextBatch"/> until it returns 0, once per epoch; implementations may stream (an IDataView cursor) or
/// hold the rows in memory (<see cref="InMemoryTrainingData{T}"/>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal interface ITrainingData<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>D, the number of features per row.</summary>
    int FeatureCount { get; }

    /// <summary>Whether rows carry example weights (otherwise every weight is 1 and <see cref="NextBatch"/> leaves the weights untouched).</summary>
    bool HasWeights { get; }

    /// <summary>
    /// The number of rows in one epoch when known before reading it, otherwise null. Added to the contract because
    /// per-step learning rate schedules need the number of steps per epoch; when it is null the loop uses
    /// epoch-level progress during the first epoch and the counted number of steps afterwards.
    /// </summary>
    long? RowCount { get; }

    /// <summary>Starts a new pass over the rows.</summary>
    /// <param name="shuffleRandom">The source of this epoch's row order, or null to read the rows in their stored order.</param>
    void StartEpoch(Random? shuffleRandom);

    /// <summary>Copies up to <paramref name="maxRows"/> next rows of the epoch into the buffers.</summary>
    /// <param name="features">Receives the features, row-major <c>[rows, D]</c>; length at least <c>maxRows * D</c>.</param>
    /// <param name="targets">Receives the target of each row (a class index as a number, 0 or 1 for binary, the value for
    /// regression); length at least <paramref name="maxRows"/>.</param>
    /// <param name="weights">Receives the example weights when <see cref="HasWeights"/>; may be empty otherwise.</param>
    /// <param name="maxRows">The most rows to copy (at least 1).</param>
    /// <returns>The number of rows copied; 0 at the end of the epoch.</returns>
    int NextBatch(Span<T> features, Span<T> targets, Span<T> weights, int maxRows);
}
