using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;

namespace MLNetJacobian.Training;

/// <summary>
/// The training loop: epochs of batches from an <see cref="ITrainingData{T}"/>, each batch's objective and gradient
/// from an <see cref="IBatchObjective{T}"/>, one optimizer step per batch, per-epoch metrics, validation, early
/// stopping, cancellation and divergence handling.
/// </summary>
/// <remarks>
/// <para>
/// Per batch: read up to <c>BatchSize</c> rows, evaluate the schedule's learning rate, compute the loss and gradient,
/// check that the loss is finite, step the optimizer, which reports in the same pass whether the updated parameters
/// are finite (a non-finite gradient makes them non-finite, and is then named as the cause). All buffers (batch
/// features <c>[B, D]</c>, targets <c>[B]</c>, weights <c>[B]</c>, gradient <c>[P]</c>, optimizer state, snapshots
/// <c>[P]</c>) are allocated once per training run; batches allocate nothing.
/// </para>
/// <para>
/// Validation (when validation data is given) runs after every epoch and measures the weighted mean data loss
/// (the objective's <see cref="OutputLoss"/>) and, for classification, the accuracy, without the Jacobian penalty: the
/// penalty is a random estimate that depends on lambda, so the data loss is the comparable figure across settings. Early stopping watches this validation loss.
/// </para>
/// <para>
/// Divergence (a non-finite loss, gradient, parameter or validation loss) restores the best parameters when early
/// stopping with restore is on and a best epoch exists, otherwise the parameters at the end of the last completed
/// epoch (the initial ones during epoch 1), then throws <see cref="TrainingDivergedException"/>. Cancellation
/// throws <see cref="OperationCanceledException"/> and leaves the current (finite) parameters.
/// </para>
/// <para>
/// One <see cref="Random"/> drives both the row order and the objective's projections, so a seed fixes the whole run
/// (the figures, up to floating-point summation order of the kernels, which is deterministic on one machine). A
/// <see cref="ShardedObjective{T}"/> draws its shards' streams from it, so the seed and the thread count fix the run.
/// </para>
/// <para>
/// Threads: the objective brings its own (<see cref="ShardedObjective{T}"/> runs each batch in row shards);
/// <see cref="NetworkTrainerOptions.Threads"/> sets the optimizer's parallel slices and the threads of the
/// validation evaluator the network overload builds. Cancellation and the divergence checks act between batches,
/// after every shard of a batch has finished.
/// </para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class NetworkTrainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The fewest rows the validation evaluator built by the network overload handles per call.</summary>
    private const int MinimumValidationBatchSize = 256;

    private readonly IGemmProvider? _validationGemm;

    /// <summary>
    /// Creates a trainer whose validation evaluator (network overload of Train) uses the managed GEMM on
    /// <see cref="NetworkTrainerOptions.Threads"/> threads, in row shards (<see cref="RowSharding"/>).
    /// </summary>
    public NetworkTrainer()
    {
    }

    /// <summary>Creates a trainer.</summary>
    /// <param name="validationGemm">
    /// The GEMM provider of the validation evaluator that the network overload of Train builds (training itself
    /// runs on the objective's provider); the evaluator then runs unsharded on it.
    /// </param>
    public NetworkTrainer(IGemmProvider validationGemm)
    {
        ArgumentNullException.ThrowIfNull(validationGemm);
        _validationGemm = validationGemm;
    }

    /// <summary>
    /// Trains <paramref name="network"/> in place. Validation logits come from a <see cref="NetworkEvaluator{T}"/>
    /// of the network (inference only: data loss and accuracy, no penalty).
    /// </summary>
    /// <param name="network">The network; <paramref name="objective"/> must compute gradients for this network's parameter buffer.</param>
    /// <param name="objective">Computes each batch's loss and gradient, usually a <see cref="JacobianRegularizedObjective{T}"/> of <paramref name="network"/>.</param>
    /// <param name="train">The training rows.</param>
    /// <param name="validation">Validation rows, measured after every epoch, or null.</param>
    /// <param name="options">The training settings.</param>
    /// <param name="random">The source of the row order and of the objective's random projections.</param>
    /// <param name="progress">Receives every epoch's metrics, or null.</param>
    /// <returns>The metrics of every epoch, the best epoch and whether training stopped early.</returns>
    /// <exception cref="TrainingDivergedException">The loss, gradient or parameters became non-finite; the network holds the last good parameters.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public TrainingHistory Train(FeedForwardNetwork<T> network, IBatchObjective<T> objective, ITrainingData<T> train,
        ITrainingData<T>? validation, NetworkTrainerOptions options, Random random, IProgress<EpochMetrics>? progress)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        IValidationScorer<T>? scorer = validation is null
            ? null
            : new NetworkEvaluatorScorer<T>(_validationGemm is null
                ? new NetworkEvaluator<T>(network, Math.Max(options.BatchSize, MinimumValidationBatchSize), options.Threads)
                : new NetworkEvaluator<T>(network, _validationGemm, Math.Max(options.BatchSize, MinimumValidationBatchSize)));
        return Train(network.Parameters, objective, train, validation, scorer, options, random, progress);
    }

    /// <summary>
    /// Trains the parameter buffer <paramref name="parameters"/> in place (the network's contiguous parameter
    /// buffer that <paramref name="objective"/> reads).
    /// </summary>
    /// <param name="parameters">The parameters <c>[P]</c>, updated in place; the objective must read this same buffer.</param>
    /// <param name="objective">Computes each batch's loss and gradient.</param>
    /// <param name="train">The training rows.</param>
    /// <param name="validation">Validation rows, measured after every epoch, or null.</param>
    /// <param name="validationScorer">
    /// Computes validation logits with the current parameters, or null to measure validation through the objective
    /// (which also computes a gradient, so it is slower).
    /// </param>
    /// <param name="options">The training settings.</param>
    /// <param name="random">The source of the row order and of the objective's random projections.</param>
    /// <param name="progress">Receives every epoch's metrics, or null.</param>
    /// <returns>The metrics of every epoch, the best epoch and whether training stopped early.</returns>
    /// <exception cref="TrainingDivergedException">The loss, gradient or parameters became non-finite.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public TrainingHistory Train(Span<T> parameters, IBatchObjective<T> objective, ITrainingData<T> train,
        ITrainingData<T>? validation, IValidationScorer<T>? validationScorer, NetworkTrainerOptions options, Random random,
        IProgress<EpochMetrics>? progress)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        ValidateShapes(parameters.Length, objective, train, validation, options);

        int featureCount = train.FeatureCount;
        int batchSize = options.BatchSize;
        var features = new T[batchSize * featureCount];        // [B, D]
        var targets = new T[batchSize];                          // [B]
        var weights = train.HasWeights ? new T[batchSize] : [];  // [B] or empty
        var gradient = new T[parameters.Length];                 // [P]
        var lastGood = parameters.ToArray();                     // [P], parameters after the last completed epoch
        bool trackBest = validation is not null && options.EarlyStoppingPatience is not null && options.RestoreBestOnEarlyStop;
        T[] best = trackBest ? new T[parameters.Length] : [];     // [P], parameters of the best epoch
        IOptimizer<T> optimizer = options.Optimizer.CreateOptimizer<T>();
        if (optimizer is ISlicedOptimizer sliced) sliced.Threads = options.Threads;
        ValidationPass<T>? validationPass = validation is null ? null : new ValidationPass<T>(validation, validationScorer, objective);
        CancellationToken cancellationToken = options.CancellationToken;

        var epochs = new List<EpochMetrics>(options.Epochs);
        int? stepsPerEpoch = train.RowCount is long rowCount ? (int)Math.Max(1, (rowCount + batchSize - 1) / batchSize) : null;
        int lastGoodEpoch = 0, bestEpoch = 0, epochsWithoutImprovement = 0;
        double bestValidationLoss = double.PositiveInfinity;
        bool stoppedEarly = false;
        long trainingStart = Stopwatch.GetTimestamp();

        for (int epoch = 0; epoch < options.Epochs && !stoppedEarly; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long epochStart = Stopwatch.GetTimestamp();
            train.StartEpoch(options.ShuffleEachEpoch ? random : null);
            var accumulator = new EpochAccumulator();
            double firstRate = double.NaN;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int rows = train.NextBatch(features, targets, weights, batchSize);
                if (rows == 0) break;
                int batchNumber = accumulator.Batches + 1;
                double rate = stepsPerEpoch is int steps
                    ? options.Schedule.GetLearningRate(options.LearningRate, epoch, options.Epochs, Math.Min(accumulator.Batches, steps - 1), steps)
                    : options.Schedule.GetLearningRate(options.LearningRate, epoch, options.Epochs, 0, 1);
                if (accumulator.Batches == 0) firstRate = rate;

                BatchLoss loss = objective.Compute(features.AsSpan(0, rows * featureCount), targets.AsSpan(0, rows),
                    train.HasWeights ? weights.AsSpan(0, rows) : [], rows, gradient, random);
                string? problem = double.IsFinite(loss.Loss) ? null : $"the loss was {loss.Loss}";
                if (problem is null && !optimizer.Step(parameters, gradient, rate))
                {
                    // Rare path: name the cause. The parameters are restored from a snapshot below either way.
                    problem = TensorPrimitives.IsFiniteAll<T>(gradient)
                        ? "the parameters became non-finite after the update"
                        : "the gradient had non-finite values";
                }

                if (problem is not null)
                {
                    throw Diverge(parameters, epoch + 1, batchNumber, problem, trackBest && bestEpoch > 0 ? best : lastGood,
                        trackBest && bestEpoch > 0 ? bestEpoch : lastGoodEpoch, epochs, bestEpoch);
                }

                accumulator.Add(loss);
                options.BatchCompleted?.Invoke(new BatchProgress(epoch + 1, batchNumber, accumulator.Rows, train.RowCount, loss.Loss, rate));
            }

            if (accumulator.Batches == 0) throw new InvalidOperationException($"The training data returned no rows in epoch {epoch + 1}.");
            stepsPerEpoch ??= accumulator.Batches;
            double trainingSeconds = Stopwatch.GetElapsedTime(epochStart).TotalSeconds;

            double? validationLoss = null, validationAccuracy = null;
            if (validationPass is not null)
            {
                (double vLoss, double vAccuracy) = validationPass.Run(gradient, random, cancellationToken);
                if (!double.IsFinite(vLoss))
                {
                    throw Diverge(parameters, epoch + 1, 0, $"the validation loss was {vLoss}", trackBest && bestEpoch > 0 ? best : lastGood,
                        trackBest && bestEpoch > 0 ? bestEpoch : lastGoodEpoch, epochs, bestEpoch);
                }

                validationLoss = vLoss;
                validationAccuracy = objective.Loss.HasAccuracy ? vAccuracy : null;
            }

            var metrics = new EpochMetrics(epoch + 1, accumulator.Loss, accumulator.DataLoss, accumulator.Penalty,
                objective.Loss.HasAccuracy ? accumulator.Accuracy : double.NaN,
                validationAccuracy, validationLoss, accumulator.RmsJacobianNorm,
                trainingSeconds > 0 ? accumulator.Rows / trainingSeconds : double.PositiveInfinity, firstRate,
                Stopwatch.GetElapsedTime(trainingStart));
            epochs.Add(metrics);
            parameters.CopyTo(lastGood);
            lastGoodEpoch = epoch + 1;

            if (validationLoss is double currentLoss)
            {
                if (bestEpoch == 0 || currentLoss < bestValidationLoss - options.EarlyStoppingMinDelta)
                {
                    bestValidationLoss = currentLoss;
                    bestEpoch = epoch + 1;
                    epochsWithoutImprovement = 0;
                    if (trackBest) parameters.CopyTo(best);
                }
                else
                {
                    epochsWithoutImprovement++;
                    stoppedEarly = epochsWithoutImprovement >= options.EarlyStoppingPatience && epoch + 1 < options.Epochs;
                }
            }

            progress?.Report(metrics);
        }

        int finalEpoch = epochs.Count;
        if (trackBest && bestEpoch != finalEpoch)
        {
            best.CopyTo(parameters);
            finalEpoch = bestEpoch;
        }

        return new TrainingHistory(epochs, validation is null ? epochs.Count : bestEpoch, stoppedEarly, finalEpoch);
    }

    private static TrainingDivergedException Diverge(Span<T> parameters, int epoch, int batch, string problem, T[] restoreFrom,
        int restoredEpoch, List<EpochMetrics> epochs, int bestEpoch)
    {
        restoreFrom.CopyTo(parameters);
        Debug.Assert(TensorPrimitives.IsFiniteAll<T>(parameters), "Snapshots are only taken of finite parameters.");
        var history = new TrainingHistory(epochs.ToArray(), bestEpoch > 0 ? bestEpoch : epochs.Count, false, restoredEpoch);
        return new TrainingDivergedException(epoch, batch, problem, restoredEpoch, history);
    }

    private static void ValidateShapes(int parameterCount, IBatchObjective<T> objective, ITrainingData<T> train,
        ITrainingData<T>? validation, NetworkTrainerOptions options)
    {
        if (parameterCount != objective.ParameterCount)
        {
            throw new ArgumentException(
                $"The parameter buffer has {parameterCount} values but the objective's network has {objective.ParameterCount}.", "parameters");
        }

        if (train.FeatureCount != objective.FeatureCount)
        {
            throw new ArgumentException(
                $"The training data has {train.FeatureCount} features but the objective expects {objective.FeatureCount}.", nameof(train));
        }

        if (validation is not null && validation.FeatureCount != train.FeatureCount)
        {
            throw new ArgumentException(
                $"The validation data has {validation.FeatureCount} features but the training data has {train.FeatureCount}.", nameof(validation));
        }

        if (options.BatchSize > objective.MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize,
                $"The BatchSize option ({options.BatchSize}) exceeds the objective's maximum batch size {objective.MaxBatchSize}.");
        }

        if (options.EarlyStoppingPatience is not null && validation is null)
        {
            throw new ArgumentException(
                $"Early stopping (patience {options.EarlyStoppingPatience}) needs validation data; pass validation rows or set EarlyStoppingPatience to null.",
                nameof(validation));
        }
    }
}
