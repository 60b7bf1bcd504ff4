namespace MLNetJacobian.Training;

/// <summary>Cosine annealing from the base rate down to a floor over the whole of training, evaluated per step.</summary>
/// <remarks>
/// <c>lr(t) = floor + (baseRate - floor) * (1 + cos(pi t)) / 2</c> with <c>floor = FloorFraction * baseRate</c> and
/// the step-level progress <c>t</c> in <c>[0, 1)</c> (see <see cref="ILearningRateSchedule"/>): the first step uses
/// the base rate, the rate would reach the floor one step after the last.
/// </remarks>
internal sealed class CosineSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="floorFraction">The final rate as a fraction of the base rate, in [0, 1]; 0 anneals to zero.</param>
    public CosineSchedule(double floorFraction = 0)
    {
        if (!(floorFraction >= 0 && floorFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(floorFraction), floorFraction, "The cosine floor fraction must be in [0, 1].");
        }

        FloorFraction = floorFraction;
    }

    /// <summary>The final rate as a fraction of the base rate.</summary>
    public double FloorFraction { get; }

    /// <inheritdoc />
    public double GetLearningRate(double baseRate, int epoch, int totalEpochs, int step, int stepsPerEpoch)
    {
        double progress = ScheduleProgress.Of(baseRate, epoch, totalEpochs, step, stepsPerEpoch);
        double floor = FloorFraction * baseRate;
        return floor + (baseRate - floor) * (1 + Math.Cos(Math.PI * progress)) / 2;
    }

    /// <inheritdoc />
    public override string ToString() => $"cosine to {FloorFraction} x base";
}
