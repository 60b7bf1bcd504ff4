namespace MLNetJacobian.Training;

/// <summary>
/// The learning rate of each optimizer step as a function of training progress; evaluated before every step.
/// </summary>
/// <remarks>
/// Progress through training is <c>t = (epoch * stepsPerEpoch + step) / (totalEpochs * stepsPerEpoch)</c>, in
/// <c>[0, 1)</c>. Schedules written in terms of <c>t</c> behave the same for any batch size.
/// </remarks>
internal interface ILearningRateSchedule
{
    /// <summary>The learning rate of one step.</summary>
    /// <param name="baseRate">The configured learning rate (finite, at least 0).</param>
    /// <param name="epoch">The 0-based index of the current epoch, in <c>[0, totalEpochs)</c>.</param>
    /// <param name="totalEpochs">The number of epochs training will run (at least 1).</param>
    /// <param name="step">The 0-based index of the step within the epoch, in <c>[0, stepsPerEpoch)</c>.</param>
    /// <param name="stepsPerEpoch">The number of steps (batches) per epoch, at least 1.</param>
    double GetLearningRate(double baseRate, int epoch, int totalEpochs, int step, int stepsPerEpoch);
}
