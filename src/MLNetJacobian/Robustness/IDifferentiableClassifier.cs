namespace MLNetJacobian.Robustness;

/// <summary>
/// A classifier whose logits are differentiable in its inputs: gradient attacks (FGSM, PGD, APGD) need this.
/// </summary>
/// <remarks>
/// <see cref="IClassifierScores.ComputeScores"/> of a differentiable classifier returns the logits <c>z</c>.
/// <see cref="ComputeLossGradient"/> runs the forward pass, asks the loss for <c>g_i = dL_i/dz_i</c> from the logits,
/// and returns the vector-Jacobian product <c>dL_i/dx_i = J(x_i)^T g_i</c> with <c>J = dz/dx</c> (<c>[C, D]</c>),
/// one row per example. Doing both in one call lets a network reuse its forward activations.
/// </remarks>
public interface IDifferentiableClassifier : IClassifierScores
{
    /// <summary>Logits, per-row loss and the input gradient of the loss, for a batch.</summary>
    /// <param name="features">Inputs, <c>[rows, D]</c>.</param>
    /// <param name="labels">The class each row's loss refers to, <c>[rows]</c>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="loss">The loss on logits.</param>
    /// <param name="logits">Destination for the logits, <c>[rows, C]</c>.</param>
    /// <param name="lossValues">Destination for the loss of each row, <c>[rows]</c>.</param>
    /// <param name="inputGradient">Destination for <c>dL_i/dx_i</c>, <c>[rows, D]</c>.</param>
    void ComputeLossGradient(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, int rows, ILogitLoss loss,
        Span<float> logits, Span<float> lossValues, Span<float> inputGradient);
}
