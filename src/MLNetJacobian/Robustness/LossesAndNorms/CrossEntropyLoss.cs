namespace MLNetJacobian.Robustness;

/// <summary>The cross-entropy of the softmax of the logits: <c>L = logsumexp(z) - z_y</c>.</summary>
/// <remarks>
/// <c>dL/dz_j = softmax(z)_j - [j = y]</c>, computed with the maximum logit subtracted for stability. The true
/// class's component is computed as <c>-sum_{j != y} softmax(z)_j</c> rather than <c>softmax(z)_y - 1</c>: on a
/// confidently classified example <c>softmax(z)_y</c> rounds to 1 in float and the difference would vanish, turning
/// the gradient's direction wrong (a numerical form of gradient masking). With one output (a binary logit <c>z</c>,
/// class 1 when positive) it is the log-loss of <c>sigmoid(z)</c>, the same cross-entropy over the logits
/// <c>(0, z)</c>: with <c>s = +1</c> for class 1 and <c>-1</c> for class 0, <c>L = softplus(-s z)</c> and
/// <c>dL/dz = -s sigmoid(-s z)</c>, computed without overflow.
/// </remarks>
public sealed class CrossEntropyLoss : ILogitLoss
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
