namespace MLNetJacobian.Training;

/// <summary>
/// What one evaluation of the objective on a batch measured. Every figure is the weighted mean over the batch
/// (weights normalised by <see cref="WeightSum"/>), except <see cref="Correct"/> and <see cref="Rows"/>.
/// </summary>
/// <param name="Loss">The objective: <c>sum_i w_i (loss_i + lambda/2 R_i) / sum_i w_i</c>.</param>
/// <param name="DataLoss">The weighted mean data loss (cross-entropy, log-loss, squared error or Huber: the objective's <see cref="OutputLoss"/>).</param>
/// <param name="Penalty">The weighted mean penalty term <c>(lambda/2) R_i</c> (zero when lambda is zero).</param>
/// <param name="JacobianNormSquared">The weighted mean estimate of <c>||J||_F^2</c> (NaN when the penalty was not computed).</param>
/// <param name="WeightSum">The sum of the example weights of the batch.</param>
/// <param name="Correct">How many rows the outputs classify correctly (0 for a loss without accuracy: <see cref="OutputLoss.HasAccuracy"/>).</param>
/// <param name="Rows">The number of rows in the batch.</param>
internal readonly record struct BatchLoss(
    double Loss, double DataLoss, double Penalty, double JacobianNormSquared, double WeightSum, int Correct, int Rows);
