namespace MLNetJacobian.Robustness;

/// <summary>The cross-entropy of the softmax of the logits: <c>L = logsumexp(z) - z_y</c>.</summary>
/// <remarks>
/// <c>dL/dz_j = softmax(z)_j - [j = y]</c>, computed with the maximum logit subtracted for stability. The true
/// class's component is computed as <c>-sum_{j != y} softmax(z)_j</c> rather than <c>softmax(z)_y - 1</c>: on a
/// confidently classified example <c>softmax(z)_y</c> rounds to 1 in float and the difference would vanish, turning
/// the gradient's direction wrong (a numerical form of gradient masking).
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
            ReadOnlySpan<float> z = logits.Slice(i * classCount, classCount);
            Span<float> g = logitGradient.Slice(i * classCount, classCount);
            float largest = float.NegativeInfinity;
            for (int j = 0; j < classCount; j++) largest = Math.Max(largest, z[j]);
            double sum = 0;
            for (int j = 0; j < classCount; j++)
            {
                double e = Math.Exp(z[j] - largest);
                g[j] = (float)e;
                sum += e;
            }

            float inverse = (float)(1.0 / sum);
            int y = labels[i];
            double others = 0;
            for (int j = 0; j < classCount; j++)
            {
                g[j] *= inverse;
                if (j != y) others += g[j];
            }

            g[y] = (float)-others;
            lossValues[i] = (float)(Math.Log(sum) + largest - z[y]);
        }
    }
}
