namespace MLNetJacobian.Models;

/// <summary>The distribution of one quantity over a set of examples: mean, extremes and percentiles.</summary>
/// <remarks>
/// Percentiles interpolate linearly between order statistics: the <c>q</c>-th percentile of sorted values
/// <c>v_0 &lt;= ... &lt;= v_{n-1}</c> is taken at position <c>q/100 * (n - 1)</c>. Positive infinity (the
/// condition number of a rank-deficient Jacobian) sorts last and makes the mean infinite; <see cref="InfiniteCount"/>
/// says how many there were.
/// </remarks>
/// <param name="Count">The number of values.</param>
/// <param name="Mean">Their mean.</param>
/// <param name="Minimum">The smallest value.</param>
/// <param name="Percentile5">The 5th percentile.</param>
/// <param name="Percentile25">The 25th percentile.</param>
/// <param name="Median">The median (50th percentile).</param>
/// <param name="Percentile75">The 75th percentile.</param>
/// <param name="Percentile95">The 95th percentile.</param>
/// <param name="Maximum">The largest value.</param>
/// <param name="InfiniteCount">How many values were infinite.</param>
public sealed record DistributionSummary(
    int Count, double Mean, double Minimum, double Percentile5, double Percentile25, double Median,
    double Percentile75, double Percentile95, double Maximum, int InfiniteCount)
{
    /// <summary>Summarizes a non-empty set of values (none NaN).</summary>
    /// <param name="values">The values.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">The set is empty or holds NaN.</exception>
    public static DistributionSummary Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] sorted = values.ToArray();
        if (sorted.Length == 0) throw new ArgumentException("At least one value is needed to summarize a distribution.", nameof(values));
        if (sorted.Any(double.IsNaN)) throw new ArgumentException("The values contain NaN.", nameof(values));
        Array.Sort(sorted);
        return new DistributionSummary(sorted.Length, sorted.Average(), sorted[0], PercentileOfSorted(sorted, 5),
            PercentileOfSorted(sorted, 25), PercentileOfSorted(sorted, 50), PercentileOfSorted(sorted, 75),
            PercentileOfSorted(sorted, 95), sorted[^1], sorted.Count(double.IsInfinity));
    }

    /// <summary>The <paramref name="percent"/>-th percentile of already sorted values (linear interpolation).</summary>
    /// <param name="sorted">Values in ascending order, at least one.</param>
    /// <param name="percent">In [0, 100].</param>
    /// <exception cref="ArgumentNullException"><paramref name="sorted"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="sorted"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside [0, 100].</exception>
    public static double PercentileOfSorted(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) throw new ArgumentException("At least one value is needed.", nameof(sorted));
        if (!(percent >= 0 && percent <= 100)) throw new ArgumentOutOfRangeException(nameof(percent), percent, "The percentile must be in [0, 100].");
        double position = percent / 100 * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        double fraction = position - below;
        if (fraction == 0 || sorted[below] == sorted[above]) return sorted[below];
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }
}
