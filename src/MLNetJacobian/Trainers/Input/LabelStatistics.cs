namespace MLNetJacobian.Trainers;

/// <summary>The labels of the usable rows of a data set, unweighted.</summary>
/// <param name="Count">The number of rows.</param>
/// <param name="Mean">The mean label.</param>
/// <param name="StandardDeviation">The population standard deviation of the labels.</param>
/// <param name="Minimum">The smallest label.</param>
/// <param name="Maximum">The largest label.</param>
/// <param name="PositiveCount">Rows whose label is greater than 0 (for a Boolean label, the true rows).</param>
internal readonly record struct LabelStatistics(long Count, double Mean, double StandardDeviation, double Minimum, double Maximum, long PositiveCount);

/// <summary>Accumulates <see cref="LabelStatistics"/> in one pass (Welford's update, stable for large means).</summary>
internal struct LabelAccumulator
{
    private long count, positives;
    private double mean, sumOfSquaredDeviations, minimum, maximum;

    public void Add(double label)
    {
        if (count == 0)
        {
            minimum = label;
            maximum = label;
        }

        count++;
        double delta = label - mean;
        mean += delta / count;
        sumOfSquaredDeviations += delta * (label - mean);
        minimum = Math.Min(minimum, label);
        maximum = Math.Max(maximum, label);
        if (label > 0) positives++;
    }

    public readonly LabelStatistics Result() => new(count, mean, count == 0 ? 0 : Math.Sqrt(sumOfSquaredDeviations / count), minimum, maximum, positives);
}
