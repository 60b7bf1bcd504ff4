// CompareWithMLNetTrainers: the Jacobian-regularized network beside ML.NET's LbfgsMaximumEntropy, SdcaMaximumEntropy
// and LightGbm on the embedded digits, every model trained in the same kind of pipeline and attacked with the same
// perturbations: Gaussian noise, FGSM, PGD-20 and the black-box Square attack (L-inf, pixels in [0, 1]).
//
// Usage: dotnet run -c Release --project examples/CompareWithMLNetTrainers [-- --quick] [--output FOLDER]
//   (--quick, or MLNETJACOBIAN_EXAMPLES_QUICK=1: fewer epochs and attacked rows, for CI.) Writes FOLDER/results.json
//   (default folder: compare-with-mlnet-trainers) and prints a markdown table.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CompareWithMLNetTrainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using MLNetJacobian.Analysis;
using MLNetJacobian.Compute;
using MLNetJacobian.Data;
using MLNetJacobian.Robustness;
using MLNetJacobian.Trainers;
using MLNetJacobian.Models;

bool quick = args.Contains("--quick") || Environment.GetEnvironmentVariable("MLNETJACOBIAN_EXAMPLES_QUICK") == "1";
int outputIndex = Array.IndexOf(args, "--output");
string output = outputIndex >= 0 && outputIndex + 1 < args.Length ? args[outputIndex + 1] : "compare-with-mlnet-trainers";
const double Epsilon = 0.1, Sigma = 0.3;

var mlContext = new MLContext(seed: 1);
var (trainSet, testSet) = DigitsDataset.Load(scaleToUnitInterval: true).Split(0.8, seed: 1);
IDataView train = mlContext.Data.LoadFromEnumerable(Rows(trainSet));
IDataView test = mlContext.Data.LoadFromEnumerable(Rows(testSet));
Console.WriteLine($"Digits: {trainSet.Count} training and {testSet.Count} test images, pixels in [0, 1]{(quick ? " (quick settings)" : "")}.");

var trainers = new (string Name, IEstimator<ITransformer> Trainer)[]
{
    ("JacobianRegularized lambda 0.1", mlContext.MulticlassClassification.Trainers.JacobianRegularized(new JacobianRegularizedTrainer.Options
    {
        HiddenLayers = [64, 64], JacobianWeight = 0.1, NumberOfEpochs = quick ? 10 : 40, LearningRate = 0.05, BatchSize = 32, Seed = 1,
    })),
    ("JacobianRegularized lambda 0", mlContext.MulticlassClassification.Trainers.JacobianRegularized(new JacobianRegularizedTrainer.Options
    {
        HiddenLayers = [64, 64], JacobianWeight = 0, NumberOfEpochs = quick ? 10 : 40, LearningRate = 0.05, BatchSize = 32, Seed = 1,
    })),
    ("LbfgsMaximumEntropy", mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
    ("SdcaMaximumEntropy", mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy()),
    ("LightGbm", mlContext.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
    {
        NumberOfIterations = quick ? 20 : 100, NumberOfThreads = 2, Seed = 1,
    })),
};

var options = new RobustnessOptions
{
    LowerBound = 0,
    UpperBound = 1,
    Epsilons = [0.05f, 0.1f, 0.2f],
    Attacks = [new GaussianNoiseAttack(draws: 1), PgdAttack.Fgsm(PerturbationNorm.LInfinity), new PgdAttack(PerturbationNorm.LInfinity, steps: 20),
        new SquareAttack(maxQueries: quick ? 200 : 1000)],
    MaxExamples = quick ? 60 : null,
    BisectionSteps = 0,
    RunSanityChecks = !quick,
    Seed = 1,
};

var contenders = new List<Contender>();
foreach ((string name, IEstimator<ITransformer> trainer) in trainers)
{
    // The same pipeline shape for every trainer: the label mapped to a key, then the trainer.
    var clock = Stopwatch.StartNew();
    TransformerChain<ITransformer> model = mlContext.Transforms.Conversion.MapValueToKey("Label").Append(trainer).Fit(train);
    double seconds = clock.Elapsed.TotalSeconds;
    double accuracy = mlContext.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;

    // ML.NET's own linear models are attacked white-box through their public weights, LightGbm through its scores only
    // (gradient attacks are skipped with a notice); this library's network white-box through the engine.
    RobustnessReport report = model.LastTransformer is JacobianRegularizedPredictionTransformer network
        ? mlContext.MulticlassClassification.EvaluateRobustness(
            network.Model.CreateModel(numberOfThreads: 1), model.First().Transform(test), options)
        : mlContext.MulticlassClassification.EvaluateRobustness(model, test, options);

    (IJacobianModel source, string kind) = Contender.JacobianOf(model, testSet.FeatureCount);
    double meanNorm = JacobianAnalyzer.Analyze(source, model.First().Transform(test), new JacobianAnalyzer.Options { MaxExamples = quick ? 60 : null })
        .Overall.FrobeniusNorm.Mean;
    contenders.Add(new Contender(name, model, seconds, accuracy, report, meanNorm, kind));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: trained in {seconds:F1} s, test accuracy {accuracy:P2}, attacked in {report.Elapsed.TotalSeconds:F1} s."));
    foreach (string notice in report.Notices) Console.WriteLine($"  note: {notice}");
    foreach (string warning in report.Warnings) Console.WriteLine($"  warning: {warning}");
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| trainer | train s | clean | noise sigma {Sigma} | FGSM {Epsilon} | PGD-20 {Epsilon} | Square {Epsilon} | worst {Epsilon} | mean ||J||_F |"));
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
foreach (Contender c in contenders)
{
    string square = options.Attacks.OfType<SquareAttack>().Single().Name;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {c.Name} | {c.TrainingSeconds:F1} | {c.CleanAccuracy:P1} | {Percent(c.At("Gaussian noise x1", Sigma))} | {Percent(c.At("FGSM L-inf", Epsilon))} | {Percent(c.At("PGD-20 L-inf", Epsilon))} | {Percent(c.At(square, Epsilon))} | {Percent(c.WorstAt(Epsilon))} | {c.MeanJacobianNorm:G4} ({c.JacobianKind}) |"));
}

Console.WriteLine("Robust accuracy counts every attacked row (clean mistakes count as not robust); '-' = attack skipped (no gradient).");
Directory.CreateDirectory(output);
string resultsPath = Path.Combine(output, "results.json");
File.WriteAllText(resultsPath, JsonSerializer.Serialize(contenders.Select(c => new
{
    c.Name, c.TrainingSeconds, c.CleanAccuracy, c.MeanJacobianNorm, c.JacobianKind,
    Attacks = c.Robustness.Attacks.Select(a => new { a.Name, a.Norm, Points = a.Points.Select(p => new { p.Strength, p.RobustAccuracy }) }),
    c.Robustness.Notices,
}), new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
Console.WriteLine($"Results written to {Path.GetFullPath(resultsPath)}.");
return 0;

static string Percent(double? value) => value is double v ? v.ToString("P1", CultureInfo.InvariantCulture) : "-";

static IEnumerable<DigitRow> Rows(LabeledDataset data) =>
    Enumerable.Range(0, data.Count).Select(i => new DigitRow { Features = data.Row(i).ToArray(), Label = data.ClassNames[data.Labels[i]] });
