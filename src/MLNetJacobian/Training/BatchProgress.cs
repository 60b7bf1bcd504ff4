namespace MLNetJacobian.Training;

/// <summary>
/// Reported synchronously after every training batch through <see cref="NetworkTrainerOptions.BatchCompleted"/>
/// (for progress bars); a value type so reporting allocates nothing.
/// </summary>
/// <param name="Epoch">The 1-based epoch.</param>
/// <param name="Batch">The 1-based batch within the epoch.</param>
/// <param name="RowsDone">Training rows read so far in this epoch.</param>
/// <param name="RowsPerEpoch">The rows in an epoch when known (<see cref="ITrainingData{T}.RowCount"/>), otherwise null.</param>
/// <param name="Loss">The objective on this batch.</param>
/// <param name="LearningRate">The learning rate of this batch's step.</param>
internal readonly record struct BatchProgress(int Epoch, int Batch, long RowsDone, long? RowsPerEpoch, double Loss, double LearningRate);
