using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MLNetJacobian.Compute;
using MLNetJacobian.Data;
using MLNetJacobian.Models;
using MLNetJacobian.Network;
using MLNetJacobian.Plotting;
using MLNetJacobian.Robustness;
using MLNetJacobian.Training;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// <c>lenet-mnist [--epochs N] [--runs jr,plain,l2,dropout,none,jr-only,mlp] [--lambda X] [--attack-rows N]
/// [--train-rows N] [--threads N] [--seed N] [--output DIR]</c>: the convolutional MNIST setting of Hoffman, Roberts &amp; Yaida (2019) on
/// full MNIST. LeNet-5 with tanh, max pooling and dropout 0.5 after the hidden dense layers
/// (<see cref="LeNetLayers"/>), Glorot-uniform weights, zero biases, SGD lr 0.1 momentum 0.9, batch 100, the learning
/// rate times 0.1 at 1/3 and 2/3 of training, pixels standardized with mean 0.1307 and std 0.3081, one random
/// projection; the runs differ in the regularizers (weight decay 5e-4, dropout 0.5, lambda 0.01; <c>--lambda</c> sets
/// another Jacobian weight for the LeNet runs with the penalty). Beside them, the
/// regularized MLP of the README's reference setting (784-200-200-10 ReLU, lambda 0.1, SGD lr 0.01, batch 64,
/// 5 epochs). Every model is then measured the same way: test accuracy and the mean exact <c>||J||_F</c> over the
/// 10,000 test images (with respect to the standardized input the network sees, and in pixel space, which is that
/// divided by 0.3081), and attacked in [0, 1] pixel space through the standardization (<see cref="AffineInputModel"/>):
/// Gaussian noise, FGSM, PGD-40 and APGD-CE on the first <c>--attack-rows</c> test images. Writes each network
/// (<c>NAME.json</c> + <c>NAME.f32</c>), each robustness report, <c>summary.json</c> and the comparison plot to
/// <c>--output</c>.
/// </summary>
public static class LeNetMnist
{
    /// <summary>The paper's LeNet (with dropout); the trainer adds the 10-way logit layer.</summary>
    public const string LeNetLayers = "conv 6 5 pad 2, tanh, maxpool 2, conv 16 5, tanh, maxpool 2, dense 120, tanh, dropout 0.5, dense 84, tanh, dropout 0.5";

    /// <summary>The same network without dropout.</summary>
    public const string LeNetLayersNoDropout = "conv 6 5 pad 2, tanh, maxpool 2, conv 16 5, tanh, maxpool 2, dense 120, tanh, dense 84, tanh";

    /// <summary>The epsilons (L-inf, [0, 1] pixel space) of the attacks.</summary>
    public static readonly float[] Epsilons = [0.05f, 0.1f, 0.15f, 0.2f, 0.3f];

    /// <summary>The Gaussian noise deviations (pixel space).</summary>
    public static readonly float[] Sigmas = [0.1f, 0.3f, 0.5f, 0.7f];

    private static readonly Dictionary<string, RunSpec> Catalog = new()
    {
        ["jr"] = new RunSpec("jr", "LeNet, Jacobian + L2 + dropout", LeNetLayers, 0.01, 5e-4, Dropout: true),
        ["plain"] = new RunSpec("plain", "LeNet, L2 + dropout, no penalty", LeNetLayers, 0, 5e-4, Dropout: true),
        ["l2"] = new RunSpec("l2", "LeNet, L2 only", LeNetLayersNoDropout, 0, 5e-4, Dropout: false),
        ["dropout"] = new RunSpec("dropout", "LeNet, dropout only", LeNetLayers, 0, 0, Dropout: true),
        ["none"] = new RunSpec("none", "LeNet, no regularization", LeNetLayersNoDropout, 0, 0, Dropout: false),
        ["jr-only"] = new RunSpec("jr-only", "LeNet, Jacobian only", LeNetLayersNoDropout, 0.01, 0, Dropout: false),
        ["mlp"] = new RunSpec("mlp", "MLP 784-200-200-10 ReLU, lambda 0.1 (reference setting)", null, 0.1, 5e-4, Dropout: false),
    };

    /// <summary>Runs the trainings and evaluations and prints the tables.</summary>
    /// <param name="args">The options after the command name.</param>
    public static void Run(ReadOnlySpan<string> args)
    {
        int epochs = 3, attackRows = 1000, seed = 1, threads = Environment.ProcessorCount;
        int? trainRows = null;
        double? lambda = null;
        string output = "/tmp/mlnetjacobian-lenet";
        string[] runs = ["jr", "plain", "mlp"];
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Length) throw new ArgumentException($"Option '{name}' needs a value.", nameof(args));
            string value = args[++i];
            switch (name)
            {
                case "--epochs": epochs = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--attack-rows": attackRows = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--train-rows": trainRows = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--lambda": lambda = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--output": output = value; break;
                case "--runs": runs = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                default: throw new ArgumentException($"Unknown option '{name}' (known: --epochs, --runs, --lambda, --attack-rows, --train-rows, --threads, --seed, --output).", nameof(args));
            }
        }

        foreach (string run in runs)
        {
            if (!Catalog.ContainsKey(run)) throw new ArgumentException($"Unknown run '{run}' (known: {string.Join(", ", Catalog.Keys)}).", nameof(args));
        }

        Directory.CreateDirectory(output);
        var total = Stopwatch.StartNew();
        LabeledDataset trainSet = MnistDataset.Load(MnistFiles.DefaultFolder, Data.MnistSplit.Train);
        LabeledDataset testSet = MnistDataset.Load(MnistFiles.DefaultFolder, Data.MnistSplit.Test);
        int trainCount = Math.Min(trainRows ?? trainSet.Count, trainSet.Count);
        float[] trainStandardized = Standardize(trainSet.Features.AsSpan(0, trainCount * 784));
        float[] testStandardized = Standardize(testSet.Features);
        var standardizedTest = new MnistSplit(testStandardized, testSet.Labels);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"lenet-mnist: {trainCount:N0} training images, {epochs} LeNet epoch(s), runs {string.Join(",", runs)}, seed {seed}, {threads} thread(s), attacks on the first {attackRows} test images; load average {TrainTable.LoadAverage()}."));

        var results = new List<Result>();
        foreach (string key in runs)
        {
            RunSpec run = Catalog[key];
            bool mlp = run.Layers is null;
            if (lambda is double weight && !mlp && run.Lambda > 0)
            {
                run = run with { Lambda = weight, Description = run.Description + string.Create(CultureInfo.InvariantCulture, $", lambda {weight}") };
            }

            int runEpochs = mlp ? 5 : epochs, batch = mlp ? 64 : 100;
            NetworkArchitecture architecture = mlp
                ? new NetworkArchitecture(784, [200, 200], 10, Activation.Relu)
                : new NetworkArchitecture(new ImageShape(1, 28, 28), NetworkLayers.Parse(run.Layers!), 10);
            var random = new Random(seed);
            FeedForwardNetwork<float> network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, random);
            var penalty = new JacobianPenaltyOptions(run.Lambda);
            var objective = new ShardedObjective<float>(threads, batch,
                (gemm, rows) => new JacobianRegularizedObjective<float>(network, gemm, rows, penalty));
            var options = new NetworkTrainerOptions
            {
                Epochs = runEpochs,
                BatchSize = batch,
                LearningRate = mlp ? 0.01 : 0.1,
                Schedule = mlp ? new ConstantSchedule() : new StepDecaySchedule([1.0 / 3, 2.0 / 3], 0.1),
                Optimizer = new SgdOptions { Momentum = 0.9, WeightDecay = run.WeightDecay },
                Threads = threads,
            };
            Console.WriteLine($"-- {key}: {run.Description}; {architecture}; lambda {run.Lambda}, weight decay {run.WeightDecay}, {runEpochs} epoch(s), batch {batch}");
            var data = new InMemoryTrainingData<float>(trainStandardized, trainSet.Labels.AsSpan(0, trainCount).ToArray(), 784, 10);
            var clock = Stopwatch.StartNew();
            TrainingHistory history = new NetworkTrainer<float>().Train(network.Parameters, objective, data, null, null, options, random, new Progress(key));
            double trainingSeconds = clock.Elapsed.TotalSeconds;

            clock.Restart();
            TestSetEvaluation evaluation = TestSetEvaluation.Measure(network, standardizedTest, new ManagedGemmProvider(threads));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   test accuracy {evaluation.Accuracy:P2}, mean exact ||J||_F {evaluation.MeanJacobianNorm:F3} (standardized input; {evaluation.MeanJacobianNorm / MnistSplit.StandardDeviation:F3} in pixel space), {clock.Elapsed.TotalSeconds:F0} s"));

            clock.Restart();
            var attacked = AffineInputModel.Standardized(
                new NetworkModel<float>(network, [.. testSet.ClassNames], new ManagedGemmProvider(1), maxBatchSize: 256, description: $"{key}: {run.Description}"),
                MnistSplit.StandardMean, MnistSplit.StandardDeviation);
            RobustnessReport report = RobustnessEvaluator.Evaluate(attacked, testSet.Features, testSet.Labels, new RobustnessOptions
            {
                LowerBound = 0,
                UpperBound = 1,
                Epsilons = Epsilons,
                Attacks =
                [
                    new GaussianNoiseAttack(draws: 1) { Strengths = Sigmas },
                    PgdAttack.Fgsm(PerturbationNorm.LInfinity),
                    new PgdAttack(PerturbationNorm.LInfinity, steps: 40),
                    new ApgdAttack(ILogitLoss.CrossEntropy),
                ],
                MaxExamples = attackRows,
                BisectionSteps = 0,
                ThreadCount = threads,
                Seed = seed,
            });
            double attackSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(report);
            report.SaveJson(Path.Combine(output, $"robustness-{key}.json"));
            SaveNetwork(output, key, network, run, runEpochs, batch, evaluation, trainingSeconds, history);
            results.Add(new Result(run, runEpochs, evaluation, report, trainingSeconds, attackSeconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   trained in {trainingSeconds:F0} s, attacked in {attackSeconds:F0} s; {total.Elapsed.TotalMinutes:F1} min so far"));
        }

        File.WriteAllBytes(Path.Combine(output, "robustness-curves.png"),
            RobustnessComparisonPlot.ToPng(results.Select(r => (r.Run.Key, r.Report)).ToList()));
        string table = Table(results, attackRows);
        Console.WriteLine();
        Console.WriteLine(table);
        File.WriteAllText(Path.Combine(output, "table.md"), table);
        File.WriteAllText(Path.Combine(output, "summary.json"), JsonSerializer.Serialize(new
        {
            seed,
            threads,
            trainingImages = trainCount,
            attackRows,
            totalMinutes = total.Elapsed.TotalMinutes,
            loadAverageAtEnd = TrainTable.LoadAverage(),
            runs = results.Select(r => new
            {
                r.Run.Key,
                r.Run.Description,
                layers = r.Run.Layers,
                r.Run.Lambda,
                r.Run.WeightDecay,
                r.Epochs,
                testAccuracy = r.Evaluation.Accuracy,
                meanJacobianNormStandardized = r.Evaluation.MeanJacobianNorm,
                meanJacobianNormPixels = r.Evaluation.MeanJacobianNorm / MnistSplit.StandardDeviation,
                r.TrainingSeconds,
                r.AttackSeconds,
                attacks = r.Report.Attacks.Select(a => new { a.Name, points = a.Points.Select(p => new { p.Strength, p.RobustAccuracy }) }),
                warnings = r.Report.Warnings,
            }),
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"Written to {Path.GetFullPath(output)}; {total.Elapsed.TotalMinutes:F1} min in all; load average {TrainTable.LoadAverage()}.");
    }

    /// <summary>Reads a network written by this command back (for the figures).</summary>
    /// <param name="folder">The output folder.</param>
    /// <param name="key">The run's key.</param>
    internal static FeedForwardNetwork<float> LoadNetwork(string folder, string key)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, key + ".json")));
        string? layers = document.RootElement.GetProperty("layers").GetString();
        NetworkArchitecture architecture = layers is null
            ? new NetworkArchitecture(784, [200, 200], 10, Activation.Relu)
            : new NetworkArchitecture(new ImageShape(1, 28, 28), NetworkLayers.Parse(layers), 10);
        byte[] raw = File.ReadAllBytes(Path.Combine(folder, key + ".f32"));
        return FeedForwardNetwork<float>.FromParameters(architecture, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw));
    }

    private static void SaveNetwork(string folder, string key, FeedForwardNetwork<float> network, RunSpec run, int epochs, int batch,
        TestSetEvaluation evaluation, double seconds, TrainingHistory history)
    {
        float[] parameters = network.Parameters.ToArray();
        File.WriteAllBytes(Path.Combine(folder, key + ".f32"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(parameters.AsSpan()).ToArray());
        File.WriteAllText(Path.Combine(folder, key + ".json"), JsonSerializer.Serialize(new
        {
            format = "mlnetjacobian-lenet/1",
            architecture = network.Architecture.ToString(),
            layers = run.Layers,
            input = "x = (pixel - 0.1307) / 0.3081, pixels in [0, 1], 1x28x28 planar",
            run.Lambda,
            run.WeightDecay,
            epochs,
            batch,
            testAccuracy = evaluation.Accuracy,
            meanJacobianNormStandardized = evaluation.MeanJacobianNorm,
            trainingSeconds = seconds,
            epochLog = history.Epochs.Select(e => new { e.Epoch, e.Loss, e.DataLoss, e.TrainingAccuracy, rmsJacobianNormEstimate = double.IsFinite(e.RmsJacobianNormEstimate) ? e.RmsJacobianNormEstimate : (double?)null, seconds = e.Elapsed.TotalSeconds }),
            parameterCount = parameters.Length,
        }, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Table(List<Result> results, int attackRows)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Full MNIST test set (10,000) for accuracy and ||J||_F; attacks on the first {attackRows} test images, L-inf in [0, 1] pixel space, robust accuracy over all attacked images."));
        text.Append(@"| model | lambda | epochs | test accuracy | mean \|\|J\|\|_F (standardized) | (pixels) | train s |");
        foreach (float sigma in Sigmas) text.Append(CultureInfo.InvariantCulture, $" noise {sigma} |");
        foreach (string attack in new[] { "FGSM", "PGD-40", "APGD-CE" })
        {
            foreach (float eps in Epsilons) text.Append(CultureInfo.InvariantCulture, $" {attack} {eps} |");
        }

        text.AppendLine();
        text.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", 7 + Sigmas.Length + 3 * Epsilons.Length)));
        foreach (Result r in results)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {r.Run.Key} | {r.Run.Lambda} | {r.Epochs} | {100 * r.Evaluation.Accuracy:F2}% | {r.Evaluation.MeanJacobianNorm:F3} | {r.Evaluation.MeanJacobianNorm / MnistSplit.StandardDeviation:F2} | {r.TrainingSeconds:F0} |");
            foreach (RobustnessReport.AttackCurve curve in new[] { Find(r.Report, "Gaussian"), Find(r.Report, "FGSM"), Find(r.Report, "PGD-40"), Find(r.Report, "APGD-CE") })
            {
                foreach (RobustnessReport.AttackPoint point in curve.Points.Where(p => p.Strength > 0)) text.Append(CultureInfo.InvariantCulture, $" {100 * point.RobustAccuracy:F1}% |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static RobustnessReport.AttackCurve Find(RobustnessReport report, string prefix) =>
        report.Attacks.First(a => a.Name.StartsWith(prefix, StringComparison.Ordinal));

    private static float[] Standardize(ReadOnlySpan<float> pixels)
    {
        var result = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) result[i] = (pixels[i] - MnistSplit.StandardMean) / MnistSplit.StandardDeviation;
        return result;
    }

    private sealed record RunSpec(string Key, string Description, string? Layers, double Lambda, double WeightDecay, bool Dropout);

    private sealed record Result(RunSpec Run, int Epochs, TestSetEvaluation Evaluation, RobustnessReport Report, double TrainingSeconds, double AttackSeconds);

    private sealed class Progress(string name) : IProgress<EpochMetrics>
    {
        public void Report(EpochMetrics value) => Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "   {0} epoch {1}: loss {2:F4}, CE {3:F4}, train acc {4:P2}, ||J|| estimate {5:F3}, {6:N0} samples/s, {7:F1} s; load {8}",
            name, value.Epoch, value.Loss, value.DataLoss, value.TrainingAccuracy, value.RmsJacobianNormEstimate,
            value.ExamplesPerSecond, value.Elapsed.TotalSeconds, TrainTable.LoadAverage()));
    }
}
