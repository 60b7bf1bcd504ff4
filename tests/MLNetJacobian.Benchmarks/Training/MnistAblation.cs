using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;
using MLNetJacobian.Training;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The <c>mnist-ablation</c> command: what separates this trainer from the PyTorch reference at lambda 0.1 on MNIST
/// (784-200-200-10 ReLU, Xavier weights, SGD lr 0.01 momentum 0.9 weight decay 5e-4, batch 64, 5 epochs, n_proj 1,
/// standardised pixels). Each configuration changes one thing against <c>base</c> (the trainer as it was: zero
/// biases, a full permutation every epoch, decay on every parameter); each runs with every seed, seeds outermost so
/// that a cut-short run still has whole seeds. Prints one line per run as it ends, appends it to
/// <c>ablation.jsonl</c> in the output folder, and prints mean, sample standard deviation and range per configuration.
/// </summary>
/// <remarks>
/// Usage: <c>mnist-ablation [--mnist DIR] [--output DIR] [--threads N] [--seeds 1,2,3] [--configs base,window,...]
/// [--epochs N] [--summarize]</c> (<c>--summarize</c> trains nothing: it prints the table of every run in the output
/// folder's log, for the chosen seeds and configurations). Configurations: <c>base</c>, <c>window</c> (rows streamed through the trainer's 8,192-row
/// shuffle window from a view that cannot shuffle, as <c>LoadFromEnumerable</c> gives), <c>bias-uniform</c> (biases
/// <c>U(-1/sqrt(fan_in), 1/sqrt(fan_in))</c>, PyTorch's <c>nn.Linear</c> default, which the reference keeps),
/// <c>no-bias-decay</c> (weight decay on the weights only), <c>bias-uniform+window</c>, <c>trainer-cached</c> (the
/// ML.NET estimator itself, <c>JacobianRegularizedTrainer</c> with <c>Options.Seed</c> = the seed, on a cached view
/// that it reads through ML.NET's shuffled cursors, as examples/MnistReference does), and the lambda-0 controls
/// <c>base@0</c> and <c>bias-uniform@0</c>. Default: all of them, seeds 1, 2, 3, one GEMM thread. The PyTorch
/// reference (<c>pytorch-bias-default</c>, and <c>pytorch-bias-zero</c> with its biases set to 0) is trained by
/// <c>peers/torch_reference_mnist.py</c>, which prints a line of the log's format to append to it; <c>--summarize</c>
/// shows those lines beside the engine's.
/// </remarks>
public static class MnistAblation
{
    private const double Lambda = 0.1;

    /// <summary>Every configuration the command knows, in its default order.</summary>
    private static readonly Configuration[] Known =
    [
        new("base", Lambda, BiasInitializer.Zero, Window: false, DecayBiases: true),
        new("bias-uniform", Lambda, BiasInitializer.UniformFanIn, Window: false, DecayBiases: true),
        new("window", Lambda, BiasInitializer.Zero, Window: true, DecayBiases: true),
        new("no-bias-decay", Lambda, BiasInitializer.Zero, Window: false, DecayBiases: false),
        new("bias-uniform+window", Lambda, BiasInitializer.UniformFanIn, Window: true, DecayBiases: true),
        new("trainer-cached", Lambda, BiasInitializer.Zero, Window: false, DecayBiases: true, ThroughTrainer: true),
        new("base@0", 0, BiasInitializer.Zero, Window: false, DecayBiases: true),
        new("bias-uniform@0", 0, BiasInitializer.UniformFanIn, Window: false, DecayBiases: true),
        new("pytorch-bias-default", Lambda, BiasInitializer.UniformFanIn, Window: false, DecayBiases: true, Peer: true),
        new("pytorch-bias-zero", Lambda, BiasInitializer.Zero, Window: false, DecayBiases: true, Peer: true),
    ];

    /// <summary>Runs the ablation and prints the table.</summary>
    /// <param name="args">The arguments after the command name.</param>
    public static void Run(ReadOnlySpan<string> args)
    {
        (BenchmarkArguments common, int[] seeds, Configuration[] configurations, int epochs, bool summarize) = Parse(args);
        int threads = common.Threads ?? 1;
        Directory.CreateDirectory(common.OutputFolder);
        string log = Path.Combine(common.OutputFolder, "ablation.jsonl");
        if (summarize)
        {
            // Every run the log holds (several invocations may have appended to it), for the chosen configurations.
            RunResult[] logged = File.ReadAllLines(log).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<RunResult>(l)!).ToArray();
            PrintTable(configurations, logged.Where(r => r.Epochs == epochs && seeds.Contains(r.Seed)).ToList(), epochs);
            return;
        }

        Console.WriteLine($"mnist-ablation: MNIST from {common.MnistFolder}; seeds {string.Join(",", seeds)}; " +
            $"{string.Join(", ", configurations.Select(c => c.Name))}; {epochs} epochs; {threads} GEMM thread(s); results appended to {log}; " +
            $"load average {TrainTable.LoadAverage()}.");
        MnistSplit training = MnistFiles.ReadTraining(common.MnistFolder);
        MnistSplit test = MnistFiles.ReadTest(common.MnistFolder);
        var inMemory = new InMemoryTrainingData<float>(training.Features, training.Labels, MnistSplit.FeatureCount, MnistSplit.ClassCount);
        IDataView? streamed = configurations.Any(c => c.Window) ? StreamedView(training) : null;
        IDataView? cached = configurations.Any(c => c.ThroughTrainer) ? new MLContext(seed: 0).Data.Cache(streamed ?? StreamedView(training)) : null;
        var gemm = new ManagedGemmProvider(threads);
        var results = new List<RunResult>();
        foreach (int seed in seeds)
        {
            foreach (Configuration configuration in configurations.Where(c => !c.Peer))
            {
                RunResult result = Train(configuration, seed, epochs, training, test, inMemory, streamed, cached, gemm);
                results.Add(result);
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-22} seed {1}: accuracy {2:F2}%, mean ||J||_F {3:F3}, {4:F0} s",
                    result.Configuration, result.Seed, 100 * result.Accuracy, result.MeanJacobianNorm, result.TrainingSeconds));
                File.AppendAllText(log, JsonSerializer.Serialize(result) + Environment.NewLine);
            }
        }

        PrintTable(configurations, results, epochs);
    }

    private static void PrintTable(Configuration[] configurations, List<RunResult> results, int epochs)
    {
        Console.WriteLine();
        Console.WriteLine($"Full MNIST, 10,000 test images, {epochs} epochs; mean +- sample standard deviation over seeds [min, max]; " +
            "||J||_F exact, of the logits w.r.t. the standardised input.");
        Console.WriteLine("| configuration | lambda | seeds | test accuracy % | mean ||J||_F | training s (median) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (Configuration configuration in configurations)
        {
            RunResult[] runs = results.Where(r => r.Configuration == configuration.Name).ToArray();
            if (runs.Length == 0) continue;
            double[] accuracy = runs.Select(r => 100 * r.Accuracy).ToArray(), norm = runs.Select(r => r.MeanJacobianNorm).ToArray();
            double[] seconds = runs.Select(r => r.TrainingSeconds).Order().ToArray();
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2} | {3} | {4} | {5:F0} |",
                configuration.Name, configuration.Lambda, runs.Length, Summary(accuracy, "F2"), Summary(norm, "F3"), seconds[seconds.Length / 2]));
        }

        Console.WriteLine($"(shared, noisy machine: load average {TrainTable.LoadAverage()} at the end; times are indicative.)");
    }

    private static RunResult Train(Configuration configuration, int seed, int epochs, MnistSplit training, MnistSplit test,
        InMemoryTrainingData<float> inMemory, IDataView? streamed, IDataView? cached, IGemmProvider gemm)
    {
        // As the trainer does: one Random from the seed draws the parameters, then the row order and the projections.
        if (configuration.ThroughTrainer) return TrainThroughEstimator(configuration, seed, epochs, test, cached!, gemm);
        var random = new Random(seed);
        var architecture = new NetworkArchitecture(MnistSplit.FeatureCount, [200, 200], MnistSplit.ClassCount, Activation.Relu);
        var network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, configuration.Biases, random);
        var objective = new JacobianRegularizedObjective<float>(network, gemm, 64, new JacobianPenaltyOptions(configuration.Lambda));
        OptimizerOptions optimizer = configuration.DecayBiases ? new SgdOptions { Momentum = 0.9, WeightDecay = 5e-4 } : new WeightsOnlyDecaySgdOptions(architecture);
        var options = new NetworkTrainerOptions { Epochs = epochs, BatchSize = 64, LearningRate = 0.01, Optimizer = optimizer };
        using DataViewTrainingData? window = configuration.Window
            ? new DataViewTrainingData(streamed!, "Features", "Label", shuffleWindowSize: JacobianRegularizedTrainer.Defaults.ShuffleWindowSize)
            : null;
        long start = Stopwatch.GetTimestamp();
        new NetworkTrainer<float>().Train(network.Parameters, objective, window is null ? inMemory : window, null, null, options, random, null);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        TestSetEvaluation evaluation = TestSetEvaluation.Measure(network, test, gemm);
        return new RunResult(configuration.Name, configuration.Lambda, seed, epochs, evaluation.Accuracy, evaluation.MeanJacobianNorm, seconds);
    }

    /// <summary>The estimator's own path: <c>JacobianRegularizedTrainer</c> on <paramref name="cached"/>, one GEMM thread.</summary>
    private static RunResult TrainThroughEstimator(Configuration configuration, int seed, int epochs, MnistSplit test, IDataView cached, IGemmProvider gemm)
    {
        var trainer = new JacobianRegularizedTrainer(new MLContext(seed), new JacobianRegularizedTrainer.Options
        {
            JacobianWeight = configuration.Lambda,
            NumberOfEpochs = epochs,
            Seed = seed,
            NumberOfThreads = 1,
        });
        long start = Stopwatch.GetTimestamp();
        JacobianRegularizedPredictionTransformer fitted = trainer.Fit(cached);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        TestSetEvaluation evaluation = TestSetEvaluation.Measure(fitted.Model.CreateNetwork(), test, gemm);
        return new RunResult(configuration.Name, configuration.Lambda, seed, epochs, evaluation.Accuracy, evaluation.MeanJacobianNorm, seconds);
    }

    /// <summary>
    /// The training rows as a view that cannot shuffle itself, so that the trainer's shuffle window orders them: the
    /// digit as a Single label mapped to keys by value (key k + 1 is digit k), as a user's pipeline does.
    /// </summary>
    private static IDataView StreamedView(MnistSplit training)
    {
        var rows = Enumerable.Range(0, training.Count).Select(i => new Row
        {
            Features = training.Features.AsSpan(i * MnistSplit.FeatureCount, MnistSplit.FeatureCount).ToArray(),
            Digit = training.Labels[i],
        }).ToArray();
        var context = new MLContext(seed: 0);
        IDataView loaded = context.Data.LoadFromEnumerable(rows);
        IDataView view = context.Transforms.Conversion.MapValueToKey("Label", "Digit", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(loaded).Transform(loaded);
        Debug.Assert(!view.CanShuffle, "LoadFromEnumerable gives a view that cannot shuffle.");
        return view;
    }

    private static string Summary(double[] values, string format)
    {
        double mean = values.Average();
        double sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : double.NaN;
        string f(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        return $"{f(mean)} +- {f(sd)} [{f(values.Min())}, {f(values.Max())}]";
    }

    private static (BenchmarkArguments Common, int[] Seeds, Configuration[] Configurations, int Epochs, bool Summarize) Parse(ReadOnlySpan<string> args)
    {
        int[] seeds = [1, 2, 3];
        Configuration[] configurations = Known;
        int epochs = 5;
        bool summarize = false;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name == "--summarize")
            {
                summarize = true;
                continue;
            }

            if (name is not ("--seeds" or "--configs" or "--epochs"))
            {
                rest.Add(name);
                continue;
            }

            if (i + 1 >= args.Length) throw new ArgumentException($"Option '{name}' needs a value.", nameof(args));
            string value = args[++i];
            switch (name)
            {
                case "--seeds":
                    seeds = value.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                    break;
                case "--epochs":
                    epochs = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    configurations = value.Split(',').Select(n => Known.FirstOrDefault(c => c.Name == n)
                        ?? throw new ArgumentException($"Unknown configuration '{n}' (known: {string.Join(", ", Known.Select(c => c.Name))}).", nameof(args))).ToArray();
                    break;
            }
        }

        return (BenchmarkArguments.Parse(rest.ToArray()), seeds, configurations, epochs, summarize);
    }

    /// <summary>One configuration; a peer one is trained by peers/torch_reference_mnist.py, whose JSON line goes into the log.</summary>
    private sealed record Configuration(string Name, double Lambda, BiasInitializer Biases, bool Window, bool DecayBiases, bool ThroughTrainer = false, bool Peer = false);

    private sealed record RunResult(string Configuration, double Lambda, int Seed, int Epochs, double Accuracy, double MeanJacobianNorm, double TrainingSeconds);

    private sealed class Row
    {
        [VectorType(MnistSplit.FeatureCount)]
        public float[] Features { get; set; } = [];

        public float Digit { get; set; }
    }

    /// <summary>SGD (momentum 0.9) whose weight decay 5e-4 acts on the weights only, not on the biases.</summary>
    private sealed record WeightsOnlyDecaySgdOptions(NetworkArchitecture Architecture) : OptimizerOptions
    {
        public override IOptimizer<T> CreateOptimizer<T>() => new WeightsOnlyDecaySgd<T>(Architecture, 5e-4);
    }

    /// <summary>Adds <c>decay * W</c> to the weights' gradient (biases untouched), then takes an SGD step without decay.</summary>
    private sealed class WeightsOnlyDecaySgd<T>(NetworkArchitecture architecture, double decay) : IOptimizer<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly SgdOptimizer<T> _inner = new(momentum: 0.9, weightDecay: 0);
        private T[] _decayed = [];   // [P]

        public bool Step(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate)
        {
            if (_decayed.Length != gradient.Length) _decayed = new T[gradient.Length];
            gradient.CopyTo(_decayed);
            T factor = T.CreateTruncating(decay);
            IReadOnlyList<int> sizes = architecture.LayerSizes;
            int offset = 0;
            for (int l = 0; l + 1 < sizes.Count; l++)
            {
                int weights = sizes[l] * sizes[l + 1];
                for (int j = offset; j < offset + weights; j++) _decayed[j] += factor * parameters[j];
                offset += weights + sizes[l + 1];
            }

            return _inner.Step(parameters, _decayed, learningRate);
        }

        public void Reset()
        {
            _inner.Reset();
            _decayed = [];
        }
    }
}
