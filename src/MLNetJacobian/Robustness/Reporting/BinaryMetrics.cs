namespace MLNetJacobian.Robustness;

/// <summary>Ranking metrics of a binary classifier's scores.</summary>
internal static class BinaryMetrics
{
    /// <summary>
    /// The area under the ROC curve: the probability that a random positive scores above a random negative, ties
    /// counting one half (the Mann-Whitney statistic with mid-ranks); null when one class is absent.
    /// </summary>
    /// <param name="scores">One score per example (higher means class 1).</param>
    /// <param name="labels">0 or 1 per example.</param>
    public static double? Auc(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels)
    {
        int n = scores.Length;
        int[] order = Enumerable.Range(0, n).ToArray();
        float[] copy = scores.ToArray();
        Array.Sort(order, (a, b) => copy[a].CompareTo(copy[b]));
        double positiveRankSum = 0;
        long positives = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && copy[order[j + 1]].CompareTo(copy[order[i]]) == 0) j++;
            double midRank = 0.5 * (i + j) + 1;   // 1-based mid-rank of the tied run [i, j]
            for (int t = i; t <= j; t++)
            {
                if (labels[order[t]] != 1) continue;
                positiveRankSum += midRank;
                positives++;
            }

            i = j + 1;
        }

        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return null;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
