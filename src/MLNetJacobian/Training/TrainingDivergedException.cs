namespace MLNetJacobian.Training;

/// <summary>
/// Training produced a non-finite loss, gradient or parameter. The parameters were restored to the last good ones
/// before this was thrown, so the network never holds NaN.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception with a message naming the epoch and batch and suggesting remedies.</summary>
    /// <param name="epoch">The 1-based epoch in which training diverged.</param>
    /// <param name="batch">The 1-based batch of that epoch, or 0 when the validation pass diverged.</param>
    /// <param name="what">What was found non-finite, e.g. "the loss was NaN".</param>
    /// <param name="restoredEpoch">The 1-based epoch whose parameters were restored (0 = the initial parameters).</param>
    /// <param name="history">The epochs completed before divergence.</param>
    public TrainingDivergedException(int epoch, int batch, string what, int restoredEpoch, TrainingHistory history)
        : base(BuildMessage(epoch, batch, what, restoredEpoch))
    {
        ArgumentNullException.ThrowIfNull(history);
        Epoch = epoch;
        Batch = batch;
        RestoredEpoch = restoredEpoch;
        History = history;
    }

    /// <summary>The 1-based epoch in which training diverged.</summary>
    public int Epoch { get; }

    /// <summary>The 1-based batch of <see cref="Epoch"/> that diverged, or 0 when it was the validation pass.</summary>
    public int Batch { get; }

    /// <summary>The 1-based epoch whose parameters the network holds now (0 = the initial parameters).</summary>
    public int RestoredEpoch { get; }

    /// <summary>The epochs completed before divergence.</summary>
    public TrainingHistory History { get; }

    private static string BuildMessage(int epoch, int batch, string what, int restoredEpoch)
    {
        string where = batch > 0 ? $"epoch {epoch}, batch {batch}" : $"the validation pass of epoch {epoch}";
        string restored = restoredEpoch > 0 ? $"the parameters after epoch {restoredEpoch}" : "the initial parameters";
        return $"Training diverged in {where}: {what}. The network was restored to {restored}. " +
            "Try a smaller learning rate or a smaller Jacobian weight (lambda).";
    }
}
