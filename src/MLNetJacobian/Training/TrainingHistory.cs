namespace MLNetJacobian.Training;

/// <summary>The record of one training run.</summary>
/// <param name="Epochs">The metrics of every completed epoch, in order.</param>
/// <param name="BestEpoch">
/// The 1-based epoch with the lowest validation loss, or the last completed epoch when there was no validation data.
/// </param>
/// <param name="StoppedEarly">Whether early stopping ended training before the configured number of epochs.</param>
/// <param name="ParametersFromEpoch">
/// The 1-based epoch whose parameters the network holds after training: <paramref name="BestEpoch"/> when the best
/// parameters were restored, otherwise the last completed epoch (0 if none completed).
/// </param>
public sealed record TrainingHistory(IReadOnlyList<EpochMetrics> Epochs, int BestEpoch, bool StoppedEarly, int ParametersFromEpoch)
{
    /// <summary>The metrics of the last completed epoch, or null when none completed.</summary>
    public EpochMetrics? Last => Epochs.Count == 0 ? null : Epochs[^1];

    /// <summary>The metrics of <see cref="BestEpoch"/>, or null when no epoch completed.</summary>
    public EpochMetrics? Best => BestEpoch >= 1 && BestEpoch <= Epochs.Count ? Epochs[BestEpoch - 1] : null;
}
