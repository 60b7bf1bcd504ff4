namespace MLNetJacobian.Training;

/// <summary>Sums the batch figures of one epoch, each weighted by the batch's example-weight sum.</summary>
internal struct EpochAccumulator
{
    private double weightSum;
    private double lossSum;
    private double dataLossSum;
    private double penaltySum;
    private double normSquaredSum;
    private bool normMissing;

    public long Rows { get; private set; }

    public long Correct { get; private set; }

    public int Batches { get; private set; }

    public void Add(in BatchLoss batch)
    {
        weightSum += batch.WeightSum;
        lossSum += batch.Loss * batch.WeightSum;
        dataLossSum += batch.DataLoss * batch.WeightSum;
        penaltySum += batch.Penalty * batch.WeightSum;
        if (double.IsNaN(batch.JacobianNormSquared)) normMissing = true;
        else normSquaredSum += batch.JacobianNormSquared * batch.WeightSum;
        Rows += batch.Rows;
        Correct += batch.Correct;
        Batches++;
    }

    public readonly double Loss => lossSum / weightSum;

    public readonly double DataLoss => dataLossSum / weightSum;

    public readonly double Penalty => penaltySum / weightSum;

    public readonly double Accuracy => Rows == 0 ? double.NaN : (double)Correct / Rows;

    /// <summary>sqrt of the weighted mean <c>||J||_F^2</c> estimate; NaN when any batch lacked the estimate.</summary>
    public readonly double RmsJacobianNorm => normMissing ? double.NaN : Math.Sqrt(normSquaredSum / weightSum);
}
