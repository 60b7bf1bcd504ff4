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
/// The ML.NET pipeline rows of <c>train-table</c>: <c>JacobianRegularizedTrainer.Fit</c> on an <see cref="IDataView"/>
/// of MNIST rows (built through <c>mlContext.MulticlassClassification.Trainers.JacobianRegularized</c>) against the
/// engine-level loop (<see cref="NetworkTrainer{T}"/> over <see cref="InMemoryTrainingData{T}"/> with
/// <see cref="ManagedGemmProvider"/>) on the same rows with the same settings, in interleaved rounds.
/// </summary>
/// <remarks>
/// <para>Settings of both: 784-200-200-10 ReLU, Xavier, SGD lr 0.01 momentum 0.9 weight decay 5e-4, batch 64, one
/// epoch shuffled, one thread, lambda 0 (plain) or 0.1 with one projection. A Fit's time covers everything the user
/// waits for: schema checks, the validating read of the view, training, and building the fitted transformer (ONNX
/// bytes and the ApplyOnnxModel chain, whose fit opens an ONNX Runtime session). The engine's time covers building
/// the network and <see cref="InMemoryTrainingData{T}"/> (which validates the arrays) and training.</para>
/// <para>Two measurements keep the overhead figure honest: the fixed setup cost of a Fit (a Fit on one batch of
/// <see cref="SetupRowCount"/> rows minus the engine on the same rows; also the first Fit of the process, which pays
/// for JIT compilation and loading ONNX Runtime), and a full epoch of the whole training split (60,000 rows), where
/// the per-row costs of reading the view show. The view is <c>LoadFromEnumerable</c> over a list of row objects, as
/// an application holding its data in memory would build it: a streaming view that cannot shuffle itself, so the
/// trainer shuffles it through its window. Times are wall-clock medians; the process CPU time is shown too, since the
/// machine may be shared (with one GEMM thread it tracks the work done, less the waiting).</para>
/// </remarks>
public static class PipelineComparison
{
    /// <summary>Rows of the setup measurement: one batch, so training is a single step.</summary>
    public const int SetupRowCount = 64;

    private const int BatchSize = 64;
    private const int Seed = 5;
    private const int WarmupRowCount = 3_200;
    private static readonly int[] Hidden = [200, 200];

    /// <summary>Measures the setup cost and a full epoch of both paths, plain and penalised, and returns the printable lines.</summary>
    /// <param name="training">The MNIST training split (every row is used for the full epoch).</param>
    /// <param name="rounds">Interleaved rounds of the full-epoch comparison (the median is quoted); the setup uses 5 times as many.</param>
    public static IReadOnlyList<string> Run(MnistSplit training, int rounds)
    {
        var mlContext = new MLContext(seed: Seed);
        var full = new Rows(training, training.Count, mlContext);
        var setup = new Rows(training, SetupRowCount, mlContext);
        var warmup = new Rows(training, WarmupRowCount, mlContext);

        var lines = new List<string>
        {
            string.Format(CultureInfo.InvariantCulture,
                "ML.NET pipeline vs engine level, 784-200-200-10 batch 64, 1 thread, view = LoadFromEnumerable over a list (streaming, shuffled through the trainer's window):"),
        };

        Measurement cold = Measure(() => FitPipeline(mlContext, setup.View, 0));
        lines.Add(string.Format(CultureInfo.InvariantCulture,
            "  first Fit in the process ({0} rows; JIT, ONNX Runtime load): {1:F2} s", SetupRowCount, cold.WallSeconds));

        foreach (double lambda in new[] { 0.0, TrainingCase.JacobianWeight })
        {
            string name = lambda == 0 ? "plain" : "JR n_proj=1";
            FitPipeline(mlContext, warmup.View, lambda);   // warm-up of both paths
            TrainEngine(warmup, lambda);

            (Measurement setupPipeline, Measurement setupEngine) = Compare(setup, lambda, 5 * rounds, mlContext);
            double setupCost = setupPipeline.WallSeconds - setupEngine.WallSeconds;
            lines.Add(string.Format(CultureInfo.InvariantCulture,
                "  {0,-12} setup, one batch of {1} rows (median of {2}): Fit {3,6:F3} s, engine {4,6:F3} s -> fixed cost of a Fit {5,6:F3} s",
                name, SetupRowCount, 5 * rounds, setupPipeline.WallSeconds, setupEngine.WallSeconds, setupCost));

            (Measurement pipeline, Measurement engine) = Compare(full, lambda, rounds, mlContext);
            lines.Add(string.Format(CultureInfo.InvariantCulture,
                "  {0,-12} one epoch of {1:N0} rows (median of {2}): Fit {3,6:F2} s ({4,7:N0} samples/s, CPU {5:F2} s)   engine {6,6:F2} s ({7,7:N0} samples/s, CPU {8:F2} s)",
                name, full.Count, rounds, pipeline.WallSeconds, full.Count / pipeline.WallSeconds, pipeline.CpuSeconds,
                engine.WallSeconds, full.Count / engine.WallSeconds, engine.CpuSeconds));
            lines.Add(string.Format(CultureInfo.InvariantCulture,
                "  {0,-12} Fit / engine: wall {1:F2}x, CPU {2:F2}x; without the fixed cost, wall {3:F2}x",
                name, pipeline.WallSeconds / engine.WallSeconds, pipeline.CpuSeconds / engine.CpuSeconds,
                (pipeline.WallSeconds - Math.Max(0, setupCost)) / engine.WallSeconds));
        }

        return lines;
    }

    /// <summary>Fit and engine on the same rows in interleaved rounds (alternating which goes first); medians of each.</summary>
    private static (Measurement Pipeline, Measurement Engine) Compare(Rows rows, double lambda, int rounds, MLContext mlContext)
    {
        var pipeline = new List<Measurement>();
        var engine = new List<Measurement>();
        for (int round = 0; round < rounds; round++)
        {
            if (round % 2 == 0) pipeline.Add(Measure(() => FitPipeline(mlContext, rows.View, lambda)));
            engine.Add(Measure(() => TrainEngine(rows, lambda)));
            if (round % 2 == 1) pipeline.Add(Measure(() => FitPipeline(mlContext, rows.View, lambda)));
        }

        return (Measurement.Median(pipeline), Measurement.Median(engine));
    }

    private static Measurement Measure(Action action)
    {
        using Process process = Process.GetCurrentProcess();
        TimeSpan cpuStart = process.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        action();
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        process.Refresh();
        return new Measurement(wall, (process.TotalProcessorTime - cpuStart).TotalSeconds);
    }

    private static void FitPipeline(MLContext mlContext, IDataView view, double lambda)
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
        mlContext.MulticlassClassification.Trainers.JacobianRegularized(options).Fit(view);
    }

    private static void TrainEngine(Rows rows, double lambda)
    {
        var random = new Random(Seed);
        var architecture = new NetworkArchitecture(MnistSplit.FeatureCount, Hidden, MnistSplit.ClassCount, Activation.Relu);
        FeedForwardNetwork<float> network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, random);
        var objective = new JacobianRegularizedObjective<float>(network, new ManagedGemmProvider(1), BatchSize, new JacobianPenaltyOptions(lambda));
        var data = new InMemoryTrainingData<float>(rows.Features, rows.Labels, MnistSplit.FeatureCount, MnistSplit.ClassCount);
        var options = new NetworkTrainerOptions
        {
            Epochs = 1,
            BatchSize = BatchSize,
            LearningRate = 0.01,
            Optimizer = new SgdOptions { Momentum = 0.9, WeightDecay = 5e-4 },
        };
        new NetworkTrainer<float>().Train(network.Parameters, objective, data, null, null, options, random, null);
    }

    /// <summary>Wall-clock and process CPU seconds of one run.</summary>
    private readonly record struct Measurement(double WallSeconds, double CpuSeconds)
    {
        public static Measurement Median(List<Measurement> values) =>
            new(MedianOf(values.Select(v => v.WallSeconds)), MedianOf(values.Select(v => v.CpuSeconds)));

        private static double MedianOf(IEnumerable<double> values)
        {
            double[] sorted = [.. values.Order()];
            int middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
        }
    }

    /// <summary>The first rows of the split, as arrays for the engine and as a data view for the pipeline.</summary>
    private sealed class Rows
    {
        public Rows(MnistSplit training, int count, MLContext mlContext)
        {
            int featureCount = MnistSplit.FeatureCount;
            Count = count;
            Features = training.Features.AsSpan(0, count * featureCount).ToArray();   // [N, D]
            Labels = training.Labels.AsSpan(0, count).ToArray();                      // [N]
            float[] features = Features;
            int[] labels = Labels;
            List<MnistRow> list = Enumerable.Range(0, count).Select(i => new MnistRow
            {
                Label = (uint)labels[i] + 1,
                Features = features.AsSpan(i * featureCount, featureCount).ToArray(),
            }).ToList();
            View = mlContext.Data.LoadFromEnumerable(list);
        }

        public int Count { get; }

        public float[] Features { get; }

        public int[] Labels { get; }

        public IDataView View { get; }
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
