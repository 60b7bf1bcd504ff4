namespace MLNetJacobian.Training;

/// <summary>What one training epoch measured.</summary>
/// <remarks>
/// Training figures are means over the epoch's batches as they were computed during the epoch (the parameters move
/// between batches), each batch weighted by its example-weight sum, so they equal the weighted mean over rows.
/// </remarks>
/// <param name="Epoch">The 1-based epoch number.</param>
/// <param name="Loss">The weighted mean objective <c>loss + (lambda/2) R</c> over the epoch's training rows.</param>
/// <param name="DataLoss">The weighted mean training data loss (the objective's <see cref="OutputLoss"/>: cross-entropy,
/// log-loss, squared error or Huber).</param>
/// <param name="Penalty">The weighted mean penalty term <c>(lambda/2) R</c>.</param>
/// <param name="TrainingAccuracy">The fraction of training rows classified correctly (unweighted); NaN for regression.</param>
/// <param name="ValidationAccuracy">The fraction of validation rows classified correctly after the epoch (unweighted), or null without validation data or for regression.</param>
/// <param name="ValidationLoss">The weighted mean validation data loss after the epoch (no penalty: see <see cref="NetworkTrainer{T}"/>), or null without validation data.</param>
/// <param name="RmsJacobianNormEstimate">
/// <c>sqrt</c> of the weighted mean estimate of <c>||J||_F^2</c> over the epoch's training rows, a root-mean-square
/// Frobenius norm; NaN when the objective did not estimate it (lambda = 0 without a requested estimate).
/// </param>
/// <param name="ExamplesPerSecond">Training rows per second of the epoch's training time (validation excluded).</param>
/// <param name="LearningRate">The learning rate of the epoch's first step.</param>
/// <param name="Elapsed">The wall-clock time since training started, at the end of this epoch (validation included).</param>
public sealed record EpochMetrics(
    int Epoch,
    double Loss,
    double DataLoss,
    double Penalty,
    double TrainingAccuracy,
    double? ValidationAccuracy,
    double? ValidationLoss,
    double RmsJacobianNormEstimate,
    double ExamplesPerSecond,
    double LearningRate,
    TimeSpan Elapsed);
