namespace MLNetJacobian.Robustness;

/// <summary>The cross-entropy of the softmax of the logits: <c>L = logsumexp(z) - z_y</c>; use <see cref="ILogitLoss.CrossEntropy"/>.</summary>
/// <remarks>
/// <c>dL/dz_j = softmax(z)_j - [j = y]</c>, computed by <see cref="Network.SoftmaxCrossEntropy"/> (the training loss's
/// implementation) with the maximum logit subtracted, and the true class's component as minus the sum of the others
/// so that it does not vanish on confidently classified examples (a numerical form of gradient masking). With one
/// output (a binary logit <c>z</c>, class 1 when positive) it is the log-loss of <c>sigmoid(z)</c>, the same
/// cross-entropy over the logits <c>(0, z)</c>: with <c>s = +1</c> for class 1 and <c>-1</c> for class 0,
/// <c>L = softplus(-s z)</c> and <c>dL/dz = -s sigmoid(-s z)</c>, computed without overflow.
/// </remarks>
internal sealed class CrossEntropyLoss : ILogitLoss
{
    /// <inheritdoc />
    public string Name => "CE";

    /// <inheritdoc />
    public void Evaluate(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int rows, int classCount, Span<float> lossValues, Span<float> logitGradient)
    {
        if (classCount == 1)
        {
            for (int i = 0; i < rows; i++)
            {
                double margin = labels[i] == 1 ? logits[i] : -(double)logits[i];   // s z
                double sign = labels[i] == 1 ? 1 : -1;
                // softplus(-m) = max(-m, 0) + log(1 + exp(-|m|)); sigmoid(-m) = exp(-m) / (1 + exp(-m)) in a form that cannot overflow.
                double e = Math.Exp(-Math.Abs(margin));
                lossValues[i] = (float)(Math.Max(-margin, 0) + Math.Log(1 + e));
                double sigmoidOfMinus = margin >= 0 ? e / (1 + e) : 1 / (1 + e);
                logitGradient[i] = (float)(-sign * sigmoidOfMinus);
            }

            return;
        }

        for (int i = 0; i < rows; i++)
        {
            lossValues[i] = Network.SoftmaxCrossEntropy.Compute(
                logits.Slice(i * classCount, classCount), labels[i], 1f, logitGradient.Slice(i * classCount, classCount));
        }
    }
}
