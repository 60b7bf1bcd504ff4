using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;
using MLNetJacobian.Training;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The ML.NET pipeline row of <c>train-table</c>: <c>JacobianRegularizedTrainer.Fit</c> on an in-memory
/// <see cref="IDataView"/> of MNIST rows (built through <c>mlContext.MulticlassClassification.Trainers.JacobianRegularized</c>)
/// against the engine-level loop (<see cref="NetworkTrainer{T}"/> over <see cref="InMemoryTrainingData{T}"/> with
/// <see cref="ManagedGemmProvider"/>) on the same rows with the same settings, in interleaved rounds.
/// </summary>
/// <remarks>
/// Settings of both: 784-200-200-10 ReLU, Xavier, SGD lr 0.01 momentum 0.9 weight decay 5e-4, batch 64, one epoch of
/// <see cref="RowCount"/> rows shuffled, one thread, lambda 0 (plain) or 0.1 with one projection. A Fit's time covers
/// everything the user waits for: schema checks, the validating read of the view, training, and building the fitted
/// transformer (its scoring chain).
/// </remarks>
public static class PipelineComparison
{
    /// <summary>Rows per Fit (one epoch): small, because a Fit's setup is part of what is measured.</summary>
    public const int RowCount = 6_400;

    private const int BatchSize = 64;
    private const int Seed = 5;
    private static readonly int[] Hidden = [200, 200];

    /// <summary>Measures both paths, plain and penalised, and returns the printable lines.</summary>
    /// <param name="training">The MNIST training split (the first <see cref="RowCount"/> rows are used).</param>
    /// <param name="rounds">Interleaved rounds (the median is quoted).</param>
    public static IReadOnlyList<string> Run(MnistSplit training, int rounds)
    {
        int featureCount = MnistSplit.FeatureCount;
        var features = training.Features.AsSpan(0, RowCount * featureCount).ToArray();   // [N, D]
        var labels = training.Labels.AsSpan(0, RowCount).ToArray();                      // [N]
        var mlContext = new MLContext(seed: Seed);
        IDataView view = mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, RowCount).Select(i => new MnistRow
        {
            Label = (uint)labels[i] + 1,
            Features = features.AsSpan(i * featureCount, featureCount).ToArray(),
        }));

        var lines = new List<string>
        {
            string.Format(CultureInfo.InvariantCulture,
                "ML.NET pipeline vs engine level, 784-200-200-10 batch 64, 1 thread, one epoch of {0:N0} MNIST rows per Fit, median of {1} interleaved rounds:",
                RowCount, rounds),
        };
        foreach (double lambda in new[] { 0.0, TrainingCase.JacobianWeight })
        {
            var pipelineSeconds = new List<double>();
            var engineSeconds = new List<double>();
            FitPipeline(mlContext, view, lambda);   // warm-up of both paths
            TrainEngine(features, labels, lambda);
            for (int round = 0; round < rounds; round++)
            {
                pipelineSeconds.Add(FitPipeline(mlContext, view, lambda));
                engineSeconds.Add(TrainEngine(features, labels, lambda));
            }

            double pipeline = Median(pipelineSeconds), engine = Median(engineSeconds);
            lines.Add(string.Format(CultureInfo.InvariantCulture,
                "  {0,-12} pipeline Fit {1,7:F2} s ({2,8:N0} samples/s)   engine {3,7:F2} s ({4,8:N0} samples/s)   pipeline / engine time {5:F2}x",
                lambda == 0 ? "plain" : "JR n_proj=1", pipeline, RowCount / pipeline, engine, RowCount / engine, pipeline / engine));
        }

        return lines;
    }

    private static double FitPipeline(MLContext mlContext, IDataView view, double lambda)
    {
        var options = new JacobianRegularizedTrainer.Options
        {
            HiddenLayers = Hidden,
            JacobianWeight = lambda,
            NumberOfEpochs = 1,
            BatchSize = BatchSize,
            LearningRate = 0.01,
            Momentum = 0.9,
            WeightDecay = 5e-4,
            NumberOfThreads = 1,
            Seed = Seed,
        };
        JacobianRegularizedTrainer trainer = mlContext.MulticlassClassification.Trainers.JacobianRegularized(options);
        long start = Stopwatch.GetTimestamp();
        trainer.Fit(view);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static double TrainEngine(float[] features, int[] labels, double lambda)
    {
        long start = Stopwatch.GetTimestamp();
        var random = new Random(Seed);
        var architecture = new NetworkArchitecture(MnistSplit.FeatureCount, Hidden, MnistSplit.ClassCount, Activation.Relu);
        FeedForwardNetwork<float> network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, random);
        var objective = new JacobianRegularizedObjective<float>(network, new ManagedGemmProvider(1), BatchSize, new JacobianPenaltyOptions(lambda));
        var data = new InMemoryTrainingData<float>(features, labels, MnistSplit.FeatureCount, MnistSplit.ClassCount);
        var options = new NetworkTrainerOptions
        {
            Epochs = 1,
            BatchSize = BatchSize,
            LearningRate = 0.01,
            Optimizer = new SgdOptions { Momentum = 0.9, WeightDecay = 5e-4 },
        };
        new NetworkTrainer<float>().Train(network.Parameters, objective, data, null, null, options, random, null);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
    }

    /// <summary>One MNIST row as the data view sees it.</summary>
    private sealed class MnistRow
    {
        /// <summary>The digit as a 1-based key of 10 classes.</summary>
        [KeyType(MnistSplit.ClassCount)]
        public uint Label { get; set; }

        /// <summary>The 784 standardised pixels.</summary>
        [VectorType(MnistSplit.FeatureCount)]
        public float[] Features { get; set; } = [];
    }
}
