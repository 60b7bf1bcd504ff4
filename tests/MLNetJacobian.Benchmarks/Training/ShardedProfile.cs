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
        private readonly TrainingCase trainingCase;
        private readonly int threads;
        private readonly ShardedObjective<float> objective;
        private readonly TimingGemmProvider[] timers;
        private readonly SgdOptimizer<float> optimizer;
        private readonly FeedForwardNetwork<float> network;
        private readonly RollingWindowData data;
        private readonly float[] features, targets, gradient;
        private readonly float[][] reductionBuffers;
        private readonly Random random = new(Seed);
        private long steps, objectiveTicks, optimizerTicks, reductionTicks;

        public Profile(TrainingCase trainingCase, int threads, MnistSplit training)
        {
            this.trainingCase = trainingCase;
            this.threads = threads;
            int batch = trainingCase.BatchSize;
            var architecture = new NetworkArchitecture(MnistSplit.FeatureCount, trainingCase.Hidden, MnistSplit.ClassCount, Activation.Relu);
            network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, random);
            timers = Enumerable.Range(0, threads).Select(_ => new TimingGemmProvider(new ManagedGemmProvider(1))).ToArray();
            JacobianPenaltyOptions penalty = trainingCase.PenaltyOptions;
            objective = new ShardedObjective<float>(threads, batch, (gemm, rows) => new JacobianRegularizedObjective<float>(network, gemm, rows, penalty),
                s => timers[s], RowSharding.MinimumRowsPerShard);
            optimizer = new SgdOptimizer<float>(0.9, false, 5e-4) { Threads = threads };
            data = new RollingWindowData(training, Seed) { WindowRows = int.MaxValue };
            data.StartEpoch(null);
            features = new float[batch * MnistSplit.FeatureCount];
            targets = new float[batch];
            gradient = new float[network.ParameterCount];
            reductionBuffers = Enumerable.Range(0, Math.Max(2, objective.ShardCountFor(batch))).Select(_ => new float[network.ParameterCount]).ToArray();
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
                if (data.NextBatch(features, targets, [], trainingCase.BatchSize) < trainingCase.BatchSize)
                {
                    data.StartEpoch(null);
                    data.NextBatch(features, targets, [], trainingCase.BatchSize);
                }

                long start = Stopwatch.GetTimestamp();
                objective.Compute(features, targets, [], trainingCase.BatchSize, gradient, random);
                long middle = Stopwatch.GetTimestamp();
                optimizer.Step(network.Parameters, gradient, 0.01);
                long end = Stopwatch.GetTimestamp();
                int shards = objective.ShardCountFor(trainingCase.BatchSize);
                if (shards > 1)
                {
                    // The reduction as the objective does it (scale shard 0, add the others in order), on one thread.
                    Span<float> target = reductionBuffers[0];
                    TensorPrimitives.Multiply(target, 0.5f, target);
                    for (int s = 1; s < shards; s++) TensorPrimitives.MultiplyAdd(reductionBuffers[s], 0.5f, target, target);
                }

                long afterReduction = Stopwatch.GetTimestamp();
                if (!record) continue;
                steps++;
                objectiveTicks += middle - start;
                optimizerTicks += end - middle;
                reductionTicks += afterReduction - end;
            }

            if (!record)
            {
                foreach (TimingGemmProvider timer in timers) timer.Reset();
            }
        }

        public void Print()
        {
            double Ms(double ticks) => 1000.0 * ticks / Stopwatch.Frequency / steps;
            double gemm = Ms(timers.Sum(timer => (double)timer.Ticks)) / threads;
            double objectiveMs = Ms(objectiveTicks), optimizerMs = Ms(optimizerTicks), step = objectiveMs + optimizerMs;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "{0,-15} {1,5} {2,-12} {3,2} {4,6} {5,8:F3} {6,9:F3} {7,8:F3} {8,8:F3} {9,9:F3} {10,10:F3} {11,9:N0}",
                trainingCase.NetworkLabel, trainingCase.BatchSize, trainingCase.ModeLabel, threads, objective.ShardCountFor(trainingCase.BatchSize),
                step, objectiveMs, gemm, objectiveMs - gemm, Ms(reductionTicks), optimizerMs, 1000 * trainingCase.BatchSize / step));
        }
    }
}
