namespace MLNetJacobian.Trainers;

/// <summary>How <see cref="DataViewTrainingData"/> turns the label column into targets.</summary>
internal enum LabelKind
{
    /// <summary>A key label (multiclass): the target is the class index <c>key - 1</c>; key 0 is a missing label.</summary>
    Class,

    /// <summary>A Boolean label (binary): the target is 1 for true, 0 for false.</summary>
    Boolean,

    /// <summary>A Single label (regression): the target is the value, which must be finite.</summary>
    Value,
}

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
