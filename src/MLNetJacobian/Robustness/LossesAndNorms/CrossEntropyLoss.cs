namespace MLNetJacobian.Robustness;

/// <summary>The cross-entropy of the softmax of the logits: <c>L = logsumexp(z) - z_y</c>.</summary>
/// <remarks>
/// <c>dL/dz_j = softmax(z)_j - [j = y]</c>, computed by <see cref="Network.SoftmaxCrossEntropy"/> (the training loss's
/// implementation) with the maximum logit subtracted, and the true class's component as minus the sum of the others
/// so that it does not vanish on confidently classified examples (a numerical form of gradient masking).
/// </remarks>
public sealed class CrossEntropyLoss : ILogitLoss
{
    /// <inheritdoc />
    public string Name => "CE";

    /// <inheritdoc />
    public void Evaluate(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int rows, int classCount, Span<float> lossValues, Span<float> logitGradient)
    {
        for (int i = 0; i < rows; i++)
        {
            lossValues[i] = Network.SoftmaxCrossEntropy.Compute(
                logits.Slice(i * classCount, classCount), labels[i], 1f, logitGradient.Slice(i * classCount, classCount));
        }
    }
}
