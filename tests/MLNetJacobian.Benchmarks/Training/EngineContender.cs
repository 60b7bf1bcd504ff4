using System.Diagnostics;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Training;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The engine-level training loop of one configuration at one thread count: <see cref="NetworkTrainer{T}"/> over
/// <see cref="JacobianRegularizedObjective{T}"/> with <see cref="ManagedGemmProvider"/>, in row shards
/// (<see cref="ShardedObjective{T}"/>, the library's default) or as one pass with GEMM-level threads, SGD lr 0.01
/// momentum 0.9 weight decay 5e-4 (updated in parallel slices), Xavier initialisation. Each timed round is one
/// "epoch" of a rolling window of MNIST rows.
/// </summary>
public sealed class EngineContender
{
    private readonly FeedForwardNetwork<float> _network;
    private readonly IBatchObjective<float> _objective;
    private readonly RollingWindowData _data;
    private readonly NetworkTrainer<float> _trainer = new();
    private readonly Random _random;
    private long _firstStepAllocated, _lastStepAllocated;
    private int _stepsSeen;

    /// <summary>Builds the network, objective and data window.</summary>
    /// <param name="trainingCase">The configuration.</param>
    /// <param name="threads">Threads (1 or 2).</param>
    /// <param name="training">The MNIST training split.</param>
    /// <param name="seed">Seed of the weights, the row order and the projections.</param>
    /// <param name="parallelism">How the step uses its threads.</param>
    public EngineContender(TrainingCase trainingCase, int threads, MnistSplit training, int seed, StepParallelism parallelism = StepParallelism.Shards)
        : this(trainingCase, threads, training.ToRows(), seed, parallelism)
    {
    }

    /// <summary>Builds the network, objective and data window over any rows (their loss: <see cref="BenchmarkRows.Loss"/>).</summary>
    /// <param name="trainingCase">The configuration (its inputs and outputs must be the rows').</param>
    /// <param name="threads">Threads (1 or 2).</param>
    /// <param name="training">The rows.</param>
    /// <param name="seed">Seed of the weights, the row order and the projections.</param>
    /// <param name="parallelism">How the step uses its threads.</param>
    public EngineContender(TrainingCase trainingCase, int threads, BenchmarkRows training, int seed, StepParallelism parallelism = StepParallelism.Shards)
    {
        if (trainingCase.Inputs != training.FeatureCount || trainingCase.Outputs != training.OutputCount)
        {
            throw new ArgumentException($"The case {trainingCase.NetworkLabel} does not fit the {training.Name} rows ({training.FeatureCount} features, {training.OutputCount} outputs).", nameof(trainingCase));
        }

        Case = trainingCase;
        Threads = threads;
        Parallelism = parallelism;
        _random = new Random(seed);
        NetworkArchitecture architecture = trainingCase.Architecture;
        OutputLoss loss = training.Loss;
        _network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, _random);
        JacobianPenaltyOptions penalty = trainingCase.PenaltyOptions;
        _objective = parallelism switch
        {
            StepParallelism.GemmBands => new JacobianRegularizedObjective<float>(_network, new ManagedGemmProvider(threads), trainingCase.BatchSize, penalty, loss),
            StepParallelism.ForcedShards => new ShardedObjective<float>(threads, trainingCase.BatchSize,
                (gemm, rows) => new JacobianRegularizedObjective<float>(_network, gemm, rows, penalty, loss), null, minimumRowsPerShard: 1),
            _ => new ShardedObjective<float>(threads, trainingCase.BatchSize,
                (gemm, rows) => new JacobianRegularizedObjective<float>(_network, gemm, rows, penalty, loss)),
        };
        _data = new RollingWindowData(training, seed);
    }

    /// <summary>How the step uses its threads.</summary>
    public StepParallelism Parallelism { get; }

    /// <summary>The configuration.</summary>
    public TrainingCase Case { get; }

    /// <summary>Threads.</summary>
    public int Threads { get; }

    /// <summary>Bytes allocated per step in steady state, measured in the last round (the loop should allocate nothing).</summary>
    public double AllocatedBytesPerStep => _stepsSeen > 1 ? (double)(_lastStepAllocated - _firstStepAllocated) / (_stepsSeen - 1) : double.NaN;

    /// <summary>Trains <paramref name="rows"/> rows (rounded up to whole batches) and returns the elapsed seconds.</summary>
    /// <param name="rows">Rows to train on.</param>
    public double Run(int rows)
    {
        int batch = Case.BatchSize;
        _data.WindowRows = Math.Max(batch, (rows + batch - 1) / batch * batch);
        _stepsSeen = 0;
        var options = new NetworkTrainerOptions
        {
            Epochs = 1,
            BatchSize = batch,
            LearningRate = 0.01,
            Optimizer = new SgdOptions { Momentum = 0.9, WeightDecay = 5e-4 },
            Threads = Threads,
            BatchCompleted = CountStep,
        };
        long start = Stopwatch.GetTimestamp();
        _trainer.Train(_network.Parameters, _objective, _data, null, null, options, _random, null);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>The rows a run of <see cref="Run"/> covers for a requested count.</summary>
    /// <param name="rows">Rows requested.</param>
    public int RowsFor(int rows) => Math.Max(Case.BatchSize, (rows + Case.BatchSize - 1) / Case.BatchSize * Case.BatchSize);

    private void CountStep(BatchProgress progress)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        if (_stepsSeen == 0) _firstStepAllocated = allocated;
        _lastStepAllocated = allocated;
        _stepsSeen++;
    }
}
