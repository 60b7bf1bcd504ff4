using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Training;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The <c>train-profile --sharded</c> mode: where the batch-parallel step's time goes at 1 and 2 threads. Times the
/// objective (shard phase and reduction) and the optimizer per step, the GEMM time inside every shard (one timing
/// provider per shard), and, separately on one thread, the reduction of the shards' gradients; the rest of the
/// objective's time is element-wise work, imbalance and synchronisation. Prints the model's inputs
/// (docs/performance.md, "Batch-parallel step").
/// </summary>
public static class ShardedProfile
{
    private const int Seed = 3;
    private const int WarmupSteps = 20;

    /// <summary>Profiles the training shapes at 1 and 2 threads, interleaved in rounds.</summary>
    /// <param name="arguments">The options (<c>--seconds</c> per configuration, <c>--rounds</c>).</param>
    public static void Run(BenchmarkArguments arguments)
    {
        MnistSplit training = MnistFiles.ReadTraining(arguments.MnistFolder);
        Console.WriteLine($"train-profile --sharded: ~{arguments.Seconds:F1} s per configuration in {arguments.Rounds} rounds, " +
            $"{Environment.ProcessorCount} processors, load average {TrainTable.LoadAverage()}.");
        var profiles = new List<Profile>();
        foreach ((int[] hidden, int batch) in new[] { (new[] { 256, 256 }, 128), (new[] { 200, 200 }, 64) })
        {
            foreach (PenaltyMode mode in new[] { PenaltyMode.Plain, PenaltyMode.Projection })
            {
                foreach (int threads in new[] { 1, 2 }) profiles.Add(new Profile(new TrainingCase(hidden, batch, mode), threads, training));
                profiles.Add(new Profile(new TrainingCase(hidden, batch / 2, mode), 1, training));   // T_pass at B / 2 rows
            }
        }

        foreach (Profile profile in profiles) profile.Steps(WarmupSteps, record: false);
        for (int round = 0; round < arguments.Rounds; round++)
        {
            foreach (Profile profile in profiles) profile.For(arguments.Seconds / arguments.Rounds);
        }

        Console.WriteLine();
        Console.WriteLine("ms per step (means over the rounds); GEMM = summed over the shards' threads / threads; other = objective - GEMM");
        Console.WriteLine("(element-wise work, imbalance, synchronisation, the reduction); reduction = the shards' gradients summed on one thread.");
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-15} {1,5} {2,-12} {3,2} {4,6} {5,8} {6,9} {7,8} {8,8} {9,9} {10,10} {11,9}",
            "network", "batch", "objective", "T", "shards", "step", "objective", "GEMM", "other", "reduce", "optimizer", "samples/s"));
        foreach (Profile profile in profiles) profile.Print();
    }

    private sealed class Profile
    {
        private readonly TrainingCase _trainingCase;
        private readonly int _threads;
        private readonly ShardedObjective<float> _objective;
        private readonly TimingGemmProvider[] _timers;
        private readonly SgdOptimizer<float> _optimizer;
        private readonly FeedForwardNetwork<float> _network;
        private readonly RollingWindowData _data;
        private readonly float[] _features, _targets, _gradient;
        private readonly float[][] _reductionBuffers;
        private readonly Random _random = new(Seed);
        private long _steps, _objectiveTicks, _optimizerTicks, _reductionTicks;

        public Profile(TrainingCase trainingCase, int threads, MnistSplit training)
        {
            this._trainingCase = trainingCase;
            this._threads = threads;
            int batch = trainingCase.BatchSize;
            var architecture = new NetworkArchitecture(MnistSplit.FeatureCount, trainingCase.Hidden, MnistSplit.ClassCount, Activation.Relu);
            _network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, _random);
            _timers = Enumerable.Range(0, threads).Select(_ => new TimingGemmProvider(new ManagedGemmProvider(1))).ToArray();
            JacobianPenaltyOptions penalty = trainingCase.PenaltyOptions;
            _objective = new ShardedObjective<float>(threads, batch, (gemm, rows) => new JacobianRegularizedObjective<float>(_network, gemm, rows, penalty),
                s => _timers[s], RowSharding.MinimumRowsPerShard);
            _optimizer = new SgdOptimizer<float>(0.9, false, 5e-4) { Threads = threads };
            _data = new RollingWindowData(training, Seed) { WindowRows = int.MaxValue };
            _data.StartEpoch(null);
            _features = new float[batch * MnistSplit.FeatureCount];
            _targets = new float[batch];
            _gradient = new float[_network.ParameterCount];
            _reductionBuffers = Enumerable.Range(0, Math.Max(2, _objective.ShardCountFor(batch))).Select(_ => new float[_network.ParameterCount]).ToArray();
        }

        public void For(double seconds)
        {
            long end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            do
            {
                Steps(5, record: true);
            }
            while (Stopwatch.GetTimestamp() < end);
        }

        public void Steps(int count, bool record)
        {
            for (int step = 0; step < count; step++)
            {
                if (_data.NextBatch(_features, _targets, [], _trainingCase.BatchSize) < _trainingCase.BatchSize)
                {
                    _data.StartEpoch(null);
                    _data.NextBatch(_features, _targets, [], _trainingCase.BatchSize);
                }

                long start = Stopwatch.GetTimestamp();
                _objective.Compute(_features, _targets, [], _trainingCase.BatchSize, _gradient, _random);
                long middle = Stopwatch.GetTimestamp();
                _optimizer.Step(_network.Parameters, _gradient, 0.01);
                long end = Stopwatch.GetTimestamp();
                int shards = _objective.ShardCountFor(_trainingCase.BatchSize);
                if (shards > 1)
                {
                    // The reduction as the objective does it (scale shard 0, add the others in order), on one thread.
                    Span<float> target = _reductionBuffers[0];
                    TensorPrimitives.Multiply(target, 0.5f, target);
                    for (int s = 1; s < shards; s++) TensorPrimitives.MultiplyAdd(_reductionBuffers[s], 0.5f, target, target);
                }

                long afterReduction = Stopwatch.GetTimestamp();
                if (!record) continue;
                _steps++;
                _objectiveTicks += middle - start;
                _optimizerTicks += end - middle;
                _reductionTicks += afterReduction - end;
            }

            if (!record)
            {
                foreach (TimingGemmProvider timer in _timers) timer.Reset();
            }
        }

        public void Print()
        {
            double Ms(double ticks) => 1000.0 * ticks / Stopwatch.Frequency / _steps;
            double gemm = Ms(_timers.Sum(timer => (double)timer.Ticks)) / _threads;
            double objectiveMs = Ms(_objectiveTicks), optimizerMs = Ms(_optimizerTicks), step = objectiveMs + optimizerMs;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "{0,-15} {1,5} {2,-12} {3,2} {4,6} {5,8:F3} {6,9:F3} {7,8:F3} {8,8:F3} {9,9:F3} {10,10:F3} {11,9:N0}",
                _trainingCase.NetworkLabel, _trainingCase.BatchSize, _trainingCase.ModeLabel, _threads, _objective.ShardCountFor(_trainingCase.BatchSize),
                step, objectiveMs, gemm, objectiveMs - gemm, Ms(_reductionTicks), optimizerMs, 1000 * _trainingCase.BatchSize / step));
        }
    }
}
