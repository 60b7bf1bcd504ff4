namespace MLNetJacobian.Training;

/// <summary>Argument checks and the progress fraction shared by the learning rate schedules.</summary>
internal static class ScheduleProgress
{
    /// <summary>
    /// Validates the arguments of <see cref="ILearningRateSchedule.GetLearningRate"/> and returns the progress
    /// <c>t = (epoch * stepsPerEpoch + step) / (totalEpochs * stepsPerEpoch)</c> in <c>[0, 1)</c>.
    /// </summary>
    public static double Of(double baseRate, int epoch, int totalEpochs, int step, int stepsPerEpoch)
    {
        OptimizerArguments.ValidateLearningRate(baseRate, nameof(baseRate));
        if (totalEpochs < 1) throw new ArgumentOutOfRangeException(nameof(totalEpochs), totalEpochs, "The number of epochs must be at least 1.");
        if (epoch < 0 || epoch >= totalEpochs)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"The epoch index must be in [0, {totalEpochs}).");
        }

        if (stepsPerEpoch < 1) throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), stepsPerEpoch, "The steps per epoch must be at least 1.");
        if (step < 0 || step >= stepsPerEpoch)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"The step index must be in [0, {stepsPerEpoch}).");
        }

        return ((double)epoch * stepsPerEpoch + step) / ((double)totalEpochs * stepsPerEpoch);
    }
}
