namespace MLNetJacobian.Training;

/// <summary>Sums the batch figures of one epoch, each weighted by the batch's example-weight sum.</summary>
internal struct EpochAccumulator
{
    private double _weightSum;
    private double _lossSum;
    private double _dataLossSum;
    private double _penaltySum;
    private double _normSquaredSum;
    private bool _normMissing;

    public long Rows { get; private set; }

    public long Correct { get; private set; }

    public int Batches { get; private set; }

    public void Add(in BatchLoss batch)
    {
        _weightSum += batch.WeightSum;
        _lossSum += batch.Loss * batch.WeightSum;
        _dataLossSum += batch.DataLoss * batch.WeightSum;
        _penaltySum += batch.Penalty * batch.WeightSum;
        if (double.IsNaN(batch.JacobianNormSquared)) _normMissing = true;
        else _normSquaredSum += batch.JacobianNormSquared * batch.WeightSum;
        Rows += batch.Rows;
        Correct += batch.Correct;
        Batches++;
    }

    public readonly double Loss => _lossSum / _weightSum;

    public readonly double DataLoss => _dataLossSum / _weightSum;

    public readonly double Penalty => _penaltySum / _weightSum;

    public readonly double Accuracy => Rows == 0 ? double.NaN : (double)Correct / Rows;

    /// <summary>sqrt of the weighted mean <c>||J||_F^2</c> estimate; NaN when any batch lacked the estimate.</summary>
    public readonly double RmsJacobianNorm => _normMissing ? double.NaN : Math.Sqrt(_normSquaredSum / _weightSum);
}
