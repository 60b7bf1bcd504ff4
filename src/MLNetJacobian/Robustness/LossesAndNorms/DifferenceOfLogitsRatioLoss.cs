namespace MLNetJacobian.Robustness;

/// <summary>
/// The difference-of-logits-ratio loss of Croce and Hein (2020), invariant to shifting and scaling the logits:
/// <c>L = -(z_y - max_{j != y} z_j) / (z_pi1 - z_pi3 + 1e-12)</c> with <c>z_pi1 &gt;= z_pi2 &gt;= z_pi3</c> the
/// three largest logits. Needs at least three classes; use <see cref="ILogitLoss.DifferenceOfLogitsRatio"/>.
/// </summary>
/// <remarks>
/// With <c>m = argmax_{j != y} z_j</c>, <c>N = z_y - z_m</c> and <c>Q = z_pi1 - z_pi3 + 1e-12</c>, <c>L = -N / Q</c>:
/// <c>dL/dz_y -= 1/Q</c>, <c>dL/dz_m += 1/Q</c>, <c>dL/dz_pi1 += N/Q^2</c>, <c>dL/dz_pi3 -= N/Q^2</c>.
/// </remarks>
internal sealed class DifferenceOfLogitsRatioLoss : ILogitLoss
{
    /// <inheritdoc />
    public string Name => "DLR";

    /// <inheritdoc />
    public int MinimumClassCount => 3;

    /// <inheritdoc />
    public void Evaluate(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int rows, int classCount, Span<float> lossValues, Span<float> logitGradient)
    {
        if (classCount < 3) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "The DLR loss needs at least 3 classes.");
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> z = logits.Slice(i * classCount, classCount);
            Span<float> g = logitGradient.Slice(i * classCount, classCount);
            int y = labels[i];
            int first = -1, second = -1, third = -1, bestOther = -1;
            for (int j = 0; j < classCount; j++)
            {
                if (j != y && (bestOther < 0 || z[j] > z[bestOther])) bestOther = j;
                if (first < 0 || z[j] > z[first])
                {
                    third = second;
                    second = first;
                    first = j;
                }
                else if (second < 0 || z[j] > z[second])
                {
                    third = second;
                    second = j;
                }
                else if (third < 0 || z[j] > z[third])
                {
                    third = j;
                }
            }

            double numerator = (double)z[y] - z[bestOther];
            double denominator = (double)z[first] - z[third] + 1e-12;
            lossValues[i] = (float)(-numerator / denominator);
            g.Clear();
            g[y] -= (float)(1.0 / denominator);
            g[bestOther] += (float)(1.0 / denominator);
            double ratio = numerator / (denominator * denominator);
            g[first] += (float)ratio;
            g[third] -= (float)ratio;
        }
    }
}
