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
    private long _count, _positives;
    private double _mean, _sumOfSquaredDeviations, _minimum, _maximum;

    public void Add(double label)
    {
        if (_count == 0)
        {
            _minimum = label;
            _maximum = label;
        }

        _count++;
        double delta = label - _mean;
        _mean += delta / _count;
        _sumOfSquaredDeviations += delta * (label - _mean);
        _minimum = Math.Min(_minimum, label);
        _maximum = Math.Max(_maximum, label);
        if (label > 0) _positives++;
    }

    public readonly LabelStatistics Result() => new(_count, _mean, _count == 0 ? 0 : Math.Sqrt(_sumOfSquaredDeviations / _count), _minimum, _maximum, _positives);
}
