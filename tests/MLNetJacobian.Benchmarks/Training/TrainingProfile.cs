using System.Diagnostics;
using System.Globalization;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Training;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The <c>train-profile</c> command: where a training step's time goes. Re-enacts
/// <see cref="JacobianRegularizedObjective{T}.Compute"/> pass by pass on the library's internal workspace (data copy,
/// gather, forward, softmax cross-entropy, the penalty's VJP and reverse passes, backward with parameter gradients,
/// optimizer step), timing each section and the GEMM time inside it through <see cref="TimingGemmProvider"/>, and
/// compares the sum with the real trainer's step time measured in the same run.
/// </summary>
public static class TrainingProfile
{
    private const int Seed = 3;
    private const int WarmupSteps = 20;

    private enum Section
    {
        DataCopy,
        Gather,
        Forward,
        SoftmaxCrossEntropy,
        Penalty,
        Backward,
        Optimizer,
    }

    /// <summary>Profiles every configuration and prints one block each.</summary>
    /// <param name="arguments">The options (<c>--seconds</c> per configuration, <c>--threads</c> to profile one thread count).</param>
    public static void Run(BenchmarkArguments arguments)
    {
        MnistSplit training = MnistFiles.ReadTraining(arguments.MnistFolder);
        int[] threadCounts = arguments.Threads is int threads ? [threads] : [1, 2];
        Console.WriteLine($"train-profile: ~{arguments.Seconds:F1} s per configuration, load average {TrainTable.LoadAverage()}.");
        foreach ((int[] hidden, int batch) in new[] { (new[] { 256, 256 }, 128), (new[] { 200, 200 }, 64) })
        {
            foreach (PenaltyMode mode in new[] { PenaltyMode.Plain, PenaltyMode.Projection, PenaltyMode.Subsampled })
            {
                foreach (int threadCount in threadCounts)
                {
                    Profile(new TrainingCase(hidden, batch, mode), threadCount, training, arguments.Seconds);
                }
            }
        }
    }

    private static void Profile(TrainingCase trainingCase, int threads, MnistSplit training, double seconds)
    {
        int batch = trainingCase.BatchSize;
        var random = new Random(Seed);
        var architecture = new NetworkArchitecture(MnistSplit.FeatureCount, trainingCase.Hidden, MnistSplit.ClassCount, Activation.Relu);
        FeedForwardNetwork<float> network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, random);
        var gemm = new TimingGemmProvider(new ManagedGemmProvider(threads));
        JacobianPenaltyOptions penaltyOptions = trainingCase.PenaltyOptions;
        var penalty = new JacobianPenalty<float>(network, penaltyOptions, batch);
        var workspace = new NetworkWorkspace<float>(network, gemm, batch, penalty.MaxVectorRows);
        var optimizer = new SgdOptimizer<float>(0.9, false, 5e-4);
        var data = new RollingWindowData(training, Seed) { WindowRows = int.MaxValue };
        data.StartEpoch(null);
        var features = new float[batch * MnistSplit.FeatureCount];   // [B, D]
        var labels = new float[batch];                                // [B], class indices as targets
        var rowWeights = new float[batch];                            // [B]
        var gradient = new float[network.ParameterCount];            // [P]
        Array.Fill(rowWeights, 1f / batch);
        int subsetRows = penalty.IsActive ? penaltyOptions.SubsetSize(batch) : 0;
        int vectorRows = penalty.ProjectionCount * subsetRows;

        var sectionTicks = new long[Enum.GetValues<Section>().Length];
        var sectionGemmTicks = new long[sectionTicks.Length];
        long vjpTicks = 0, vjpGemmTicks = 0;

        void Step(bool record)
        {
            long start = Stopwatch.GetTimestamp(), gemmStart = gemm.Ticks;
            void Mark(Section section)
            {
                long now = Stopwatch.GetTimestamp();
                if (record)
                {
                    sectionTicks[(int)section] += now - start;
                    sectionGemmTicks[(int)section] += gemm.Ticks - gemmStart;
                }

                start = Stopwatch.GetTimestamp();
                gemmStart = gemm.Ticks;
            }

            data.NextBatch(features, labels, [], batch);
            Mark(Section.DataCopy);
            features.AsSpan().CopyTo(workspace.Values[0]);
            Mark(Section.Gather);
            workspace.Forward(batch);
            Mark(Section.Forward);
            workspace.ClearHiddenGradients(batch);
            ReadOnlySpan<float> logits = workspace.Values[workspace.LastBoundary];
            Span<float> logitGradient = workspace.Gradients[workspace.LastBoundary];
            const int classes = MnistSplit.ClassCount;
            for (int i = 0; i < batch; i++)
            {
                SoftmaxCrossEntropy.Compute(logits.Slice(i * classes, classes), (int)labels[i], rowWeights[i], logitGradient.Slice(i * classes, classes));
            }

            Mark(Section.SoftmaxCrossEntropy);
            if (penalty.IsActive)
            {
                penalty.Apply(workspace, batch, subsetRows, rowWeights.AsSpan(0, subsetRows), random);
                Mark(Section.Penalty);
                long vjpStart = Stopwatch.GetTimestamp(), vjpGemmStart = gemm.Ticks;
                workspace.Vjp(batch, subsetRows, penalty.ProjectionCount);   // the VJP pass alone, re-run (same values)
                if (record)
                {
                    vjpTicks += Stopwatch.GetTimestamp() - vjpStart;
                    vjpGemmTicks += gemm.Ticks - vjpGemmStart;
                }

                start = Stopwatch.GetTimestamp();
                gemmStart = gemm.Ticks;
            }

            workspace.BackwardWithParameters(batch, vectorRows, gradient);
            Mark(Section.Backward);
            optimizer.Step(network.Parameters, gradient, 0.01);
            Mark(Section.Optimizer);
        }

        for (int step = 0; step < WarmupSteps; step++) Step(false);
        gemm.Reset();
        int steps = 0;
        long begin = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(begin).TotalSeconds < seconds / 2)
        {
            Step(true);
            steps++;
        }

        var trainer = new EngineContender(trainingCase, threads, training, Seed);
        trainer.Run(WarmupSteps * batch);
        int trainerRows = Math.Max(batch, (int)(steps * batch * 0.8));
        double trainerSeconds = trainer.Run(trainerRows);
        double trainerStepMs = 1000 * trainerSeconds / (trainer.RowsFor(trainerRows) / batch);
        Print(trainingCase, threads, steps, sectionTicks, sectionGemmTicks, vjpTicks, vjpGemmTicks, gemm, trainerStepMs);
    }

    private static void Print(TrainingCase trainingCase, int threads, int steps, long[] sectionTicks, long[] sectionGemmTicks,
        long vjpTicks, long vjpGemmTicks, TimingGemmProvider gemm, double trainerStepMs)
    {
        double PerStepMs(long ticks) => 1000.0 * ticks / Stopwatch.Frequency / steps;
        double totalMs = PerStepMs(sectionTicks.Sum());
        Console.WriteLine();
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "{0} batch {1}, {2}, {3} thread(s): {4} steps; profiled step {5:F3} ms ({6:N0} samples/s), real trainer step {7:F3} ms ({8:N0} samples/s)",
            trainingCase.NetworkLabel, trainingCase.BatchSize, trainingCase.ModeLabel, threads, steps, totalMs,
            1000 * trainingCase.BatchSize / totalMs, trainerStepMs, 1000 * trainingCase.BatchSize / trainerStepMs));
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-22} {1,9} {2,7} {3,9} {4,9}", "section", "ms/step", "share", "GEMM ms", "other ms"));
        foreach (Section section in Enum.GetValues<Section>())
        {
            double ms = PerStepMs(sectionTicks[(int)section]), gemmMs = PerStepMs(sectionGemmTicks[(int)section]);
            if (ms == 0) continue;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-22} {1,9:F3} {2,6:F1}% {3,9:F3} {4,9:F3}",
                section, ms, 100 * ms / totalMs, gemmMs, ms - gemmMs));
        }

        if (vjpTicks > 0)
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "  (of Penalty: the VJP pass alone {0:F3} ms, {1:F3} ms GEMM; seeds + norms + reverse pass the rest)",
                PerStepMs(vjpTicks), PerStepMs(vjpGemmTicks)));
        }

        double gemmTotalMs = PerStepMs(sectionGemmTicks.Sum());
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "  GEMM total {0:F3} ms/step ({1:F1}% of the step), non-GEMM {2:F3} ms/step; trainer overhead beyond the profiled passes {3:F3} ms/step",
            gemmTotalMs, 100 * gemmTotalMs / totalMs, totalMs - gemmTotalMs, trainerStepMs - totalMs));
        Console.WriteLine("  GEMM shapes (op(A) op(B) m x n x k): calls/step, ms/step, GFLOP/s (the VJP shapes include the profiling re-run)");
        foreach (var (shape, timing) in gemm.Shapes.OrderByDescending(pair => pair.Value.Ticks))
        {
            double seconds = (double)timing.Ticks / Stopwatch.Frequency;
            double gigaflops = 2.0 * shape.M * shape.N * shape.K * timing.Calls / seconds / 1e9;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "    {0}{1} {2,4} x {3,4} x {4,4}  {5,5:F1} {6,8:F3} {7,7:F1}",
                shape.A == MatrixTranspose.Transpose ? "T" : "N", shape.B == MatrixTranspose.Transpose ? "T" : "N",
                shape.M, shape.N, shape.K, (double)timing.Calls / steps, 1000 * seconds / steps, gigaflops));
        }
    }
}
