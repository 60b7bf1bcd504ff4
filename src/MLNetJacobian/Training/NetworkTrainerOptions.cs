namespace MLNetJacobian.Training;

/// <summary>
/// How <see cref="NetworkTrainer{T}"/> trains. Epochs, batch size, learning rate and optimizer must be given (the
/// trainer's options, <c>JacobianRegularizedTrainer.Defaults</c>, are where defaults live); the rest default to a
/// constant schedule, shuffling every epoch and no early stopping.
/// </summary>
/// <remarks>Numeric settings are validated when set; the error names the setting and carries the value.</remarks>
internal sealed record NetworkTrainerOptions
{
    private readonly int _epochs;
    private readonly int _batchSize;
    private readonly double _learningRate;
    private readonly int? _earlyStoppingPatience;
    private readonly double _earlyStoppingMinDelta;
    private readonly ILearningRateSchedule _schedule = new ConstantSchedule();
    private readonly OptimizerOptions _optimizer = null!;
    private readonly int _threads = 1;

    /// <summary>The number of passes over the training data, at least 1.</summary>
    public required int Epochs
    {
        get => _epochs;
        init => _epochs = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Epochs), value, "The number of epochs must be at least 1.");
    }

    /// <summary>The rows per optimizer step, at least 1 and at most the objective's maximum batch size.</summary>
    public required int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "The batch size must be at least 1.");
    }

    /// <summary>The base learning rate, finite and greater than 0; <see cref="Schedule"/> scales it per step.</summary>
    public required double LearningRate
    {
        get => _learningRate;
        init => _learningRate = value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be finite and greater than 0.");
    }

    /// <summary>The learning rate schedule (constant by default).</summary>
    public ILearningRateSchedule Schedule
    {
        get => _schedule;
        init => _schedule = value ?? throw new ArgumentNullException(nameof(Schedule));
    }

    /// <summary>The optimizer and its settings (<see cref="SgdOptions"/> or <see cref="AdamOptions"/>).</summary>
    public required OptimizerOptions Optimizer
    {
        get => _optimizer;
        init => _optimizer = value ?? throw new ArgumentNullException(nameof(Optimizer));
    }

    /// <summary>Whether each epoch reads the training rows in a new random order drawn from the training <see cref="Random"/>.</summary>
    public bool ShuffleEachEpoch { get; init; } = true;

    /// <summary>
    /// Threads of the loop's own work, at least 1 (default 1): the optimizer updates the parameters in parallel slices,
    /// and the validation evaluator that the network overload of <see cref="NetworkTrainer{T}"/>'s <c>Train</c>
    /// builds shards its rows over them. The objective's threads are set where it is built
    /// (<see cref="ShardedObjective{T}"/>). Neither changes a result: the updates and the logits are the same bits
    /// whatever the thread count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int Threads
    {
        get => _threads;
        init => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Threads), value, "The thread count must be at least 1.");
    }

    /// <summary>
    /// Early stopping: training stops after this many consecutive epochs without a validation-loss improvement
    /// (at least 1), or null to run every epoch. Needs validation data.
    /// </summary>
    public int? EarlyStoppingPatience
    {
        get => _earlyStoppingPatience;
        init => _earlyStoppingPatience = value is null or >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), value, "The early stopping patience must be at least 1 (or null for none).");
    }

    /// <summary>The decrease of validation loss below the best so far that counts as an improvement (finite, at least 0).</summary>
    public double EarlyStoppingMinDelta
    {
        get => _earlyStoppingMinDelta;
        init => _earlyStoppingMinDelta = value >= 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(EarlyStoppingMinDelta), value, "The early stopping minimum improvement must be finite and at least 0.");
    }

    /// <summary>
    /// With early stopping on: whether training ends with the parameters of the epoch of lowest validation loss
    /// (whether it stopped early or ran every epoch) rather than those of the last epoch.
    /// </summary>
    public bool RestoreBestOnEarlyStop { get; init; } = true;

    /// <summary>Checked before every batch; cancelling throws <see cref="OperationCanceledException"/> with finite parameters left in place.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Called synchronously on the training thread after every batch, or null. Keep it cheap.</summary>
    public Action<BatchProgress>? BatchCompleted { get; init; }
}
