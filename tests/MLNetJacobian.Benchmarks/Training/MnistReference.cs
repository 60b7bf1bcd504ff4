using System.Diagnostics;
using System.Globalization;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Training;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The <c>mnist-reference</c> command: the reference implementation's MNIST setting on full MNIST (784-200-200-10
/// ReLU, Xavier-uniform, SGD lr 0.01 momentum 0.9 weight decay 5e-4, batch 64, 5 epochs, n_proj 1, inputs scaled to
/// [0, 1] and standardised), with lambda 0.1, lambda 0 and the subsampled penalty (lambda 0.1, p 0.25), all from the
/// same seed; reports test accuracy, the mean exact <c>||J||_F</c> over the 10,000 test images and the training time,
/// and saves each trained network.
/// </summary>
public static class MnistReference
{
    private const int DefaultSeed = 7;

    /// <summary>The three runs: name, penalty settings, and the PyTorch rerun's figures where known.</summary>
    private static readonly (string Name, JacobianPenaltyOptions Penalty, string Expected)[] Runs =
    [
        ("lambda0.1", new JacobianPenaltyOptions(0.1), "97.1% / 1.36"),
        ("lambda0", new JacobianPenaltyOptions(0), "97.9% / 5.94"),
        ("lambda0.1-p0.25", new JacobianPenaltyOptions(0.1, SampleFraction: 0.25), "not measured"),
    ];

    /// <summary>Runs the three trainings and prints the table.</summary>
    /// <param name="arguments">The options (<c>--mnist</c>, <c>--output</c>, <c>--threads</c>).</param>
    public static void Run(BenchmarkArguments arguments)
    {
        int threads = arguments.Threads ?? Environment.ProcessorCount;
        int seed = arguments.Seed ?? DefaultSeed;
        string suffix = arguments.Seed is null ? "" : $"-seed{seed}";
        Console.WriteLine($"mnist-reference: MNIST from {arguments.MnistFolder}; 784-200-200-10 ReLU, Xavier, SGD lr 0.01 momentum 0.9 " +
            $"wd 5e-4, batch 64, 5 epochs, n_proj 1, seed {seed}; {threads} GEMM thread(s); load average {TrainTable.LoadAverage()}.");
        MnistSplit training = MnistFiles.ReadTraining(arguments.MnistFolder);
        MnistSplit test = MnistFiles.ReadTest(arguments.MnistFolder);
        var data = new InMemoryTrainingData<float>(training.Features, training.Labels, MnistSplit.FeatureCount, MnistSplit.ClassCount);
        var gemm = new ManagedGemmProvider(threads);
        var lines = new List<string>();
        foreach ((string name, JacobianPenaltyOptions penalty, string expected) in Runs)
        {
            Console.WriteLine($"-- {name}: lambda {penalty.JacobianWeight}, sample fraction {penalty.SampleFraction}");
            var random = new Random(seed);
            var architecture = new NetworkArchitecture(MnistSplit.FeatureCount, [200, 200], MnistSplit.ClassCount, Activation.Relu);
            FeedForwardNetwork<float> network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, random);
            var objective = new JacobianRegularizedObjective<float>(network, gemm, 64, penalty);
            // The trainer's defaults are the reference MNIST setting.
            var options = JacobianRegularizedTrainer.EngineOptions(new());
            var progress = new Progress(name);
            long start = Stopwatch.GetTimestamp();
            TrainingHistory history = new NetworkTrainer<float>().Train(network.Parameters, objective, data, null, null, options, random, progress);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            TestSetEvaluation evaluation = TestSetEvaluation.Measure(network, test, gemm);
            string line = string.Format(CultureInfo.InvariantCulture,
                "{0,-16} {1,8:F2}% {2,10:F3} {3,10:F3} {4,9:F1} s {5,9:F1} s {6,10:N0} {7,16}",
                name, 100 * evaluation.Accuracy, evaluation.MeanJacobianNorm, evaluation.RootMeanSquareJacobianNorm, seconds,
                seconds / 5, 5.0 * training.Count / seconds, expected);
            lines.Add(line);
            string path = SavedModel.Write(arguments.OutputFolder, $"mnist-784-200-200-10-relu-{name}{suffix}", network, new
            {
                seed,
                epochs = 5,
                batchSize = 64,
                learningRate = 0.01,
                momentum = 0.9,
                weightDecay = 5e-4,
                initializer = "XavierUniform",
                jacobianWeight = penalty.JacobianWeight,
                projectionCount = penalty.ProjectionCount,
                sampleFraction = penalty.SampleFraction,
                testAccuracy = evaluation.Accuracy,
                testMeanJacobianFrobeniusNorm = evaluation.MeanJacobianNorm,
                testRootMeanSquareJacobianFrobeniusNorm = evaluation.RootMeanSquareJacobianNorm,
                trainingSeconds = seconds,
                gemmThreads = threads,
                finalTrainingLoss = history.Last?.Loss,
            });
            Console.WriteLine($"   saved {path}");
        }

        Console.WriteLine();
        Console.WriteLine("Full MNIST, 10,000 test images; ||J||_F exact, of the logits w.r.t. the standardised input.");
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-16} {1,9} {2,10} {3,10} {4,11} {5,11} {6,10} {7,16}",
            "run", "accuracy", "mean ||J||", "rms ||J||", "train time", "per epoch", "samples/s", "PyTorch rerun"));
        foreach (string line in lines) Console.WriteLine(line);
        Console.WriteLine($"(shared, noisy machine: load average {TrainTable.LoadAverage()} at the end; times are indicative.)");
    }

    private sealed class Progress(string name) : IProgress<EpochMetrics>
    {
        public void Report(EpochMetrics value) => Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "   {0} epoch {1}: loss {2:F4}, CE {3:F4}, train acc {4:P2}, ||J|| estimate {5:F3}, {6:N0} samples/s, {7:F1} s",
            name, value.Epoch, value.Loss, value.DataLoss, value.TrainingAccuracy, value.RmsJacobianNormEstimate,
            value.ExamplesPerSecond, value.Elapsed.TotalSeconds));
    }
}
