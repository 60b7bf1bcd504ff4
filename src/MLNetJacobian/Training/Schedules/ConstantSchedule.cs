namespace MLNetJacobian.Training;

/// <summary>The same learning rate for every step: <c>lr(t) = baseRate</c>.</summary>
internal sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <inheritdoc />
    public double GetLearningRate(double baseRate, int epoch, int totalEpochs, int step, int stepsPerEpoch)
    {
        ScheduleProgress.Of(baseRate, epoch, totalEpochs, step, stepsPerEpoch);
        return baseRate;
    }

    /// <inheritdoc />
    public override string ToString() => "constant";
}
