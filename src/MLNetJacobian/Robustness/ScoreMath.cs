namespace MLNetJacobian.Robustness;

/// <summary>Small helpers on rows of class scores.</summary>
internal static class ScoreMath
{
    /// <summary>The index of the largest score (the first on ties; NaN never wins).</summary>
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int j = 1; j < scores.Length; j++)
        {
            if (scores[j] > scores[best]) best = j;
        }

        return best;
    }

    /// <summary>The margin <c>s_y - max_{j != y} s_j</c>: negative when the row is misclassified.</summary>
    public static float Margin(ReadOnlySpan<float> scores, int label)
    {
        float other = float.NegativeInfinity;
        for (int j = 0; j < scores.Length; j++)
        {
            if (j != label && scores[j] > other) other = scores[j];
        }

        return scores[label] - other;
    }
}
