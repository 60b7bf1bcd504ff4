// ExistingApp: an application that knows nothing of training. It receives a model zip (from `mlnet-jacobian train`
// or the demo), loads it with plain ML.NET, scores a few digits with a PredictionEngine and a batch
// Transform, and then measures how the loaded model holds up under perturbation.
//
// Usage: dotnet run -c Release --project examples/ExistingApp -- <model.zip> [--quick] [--report PATH]
//   (--quick, or MLNETJACOBIAN_EXAMPLES_QUICK=1: attack 60 rows with fewer queries, for CI.
//    --report: where the robustness report goes; default <model>.existing-app-robustness.json beside the zip.
//    An existing report is never replaced: the app stops before any work and says so.)
using System.Diagnostics;
using System.Globalization;
using ExistingApp;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;
using MLNetJacobian.Robustness;

bool quick = args.Contains("--quick") || Environment.GetEnvironmentVariable("MLNETJACOBIAN_EXAMPLES_QUICK") == "1";
int reportIndex = Array.IndexOf(args, "--report");
if (reportIndex >= 0 && reportIndex + 1 >= args.Length)
{
    Console.Error.WriteLine("error: --report needs a path.");
    return 2;
}

string? reportArgument = reportIndex >= 0 ? args[reportIndex + 1] : null;
string? modelPath = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (reportIndex < 0 || i != reportIndex + 1))
    .FirstOrDefault();
if (modelPath is null || !File.Exists(modelPath))
{
    Console.Error.WriteLine(modelPath is null ? "error: give the path of a model zip." : $"error: '{modelPath}': no such file.");
    Console.Error.WriteLine("Make one with: dotnet run -c Release --project src/MLNetJacobian.Cli -- train --model digits.zip");
    return 2;
}

string reportPath = Path.GetFullPath(reportArgument ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!,
    Path.GetFileNameWithoutExtension(modelPath) + ".existing-app-robustness.json"));
if (File.Exists(reportPath) || Directory.Exists(reportPath))
{
    Console.Error.WriteLine($"error: '{reportPath}' already exists; delete it or name another file with --report PATH.");
    return 2;
}

// 1. Load: plain ML.NET. Nothing here knows how the model was trained.
var mlContext = new MLContext(seed: 1);
ITransformer model = mlContext.Model.Load(modelPath, out DataViewSchema inputSchema);
Console.WriteLine($"Loaded {modelPath}; it expects: {string.Join(", ", inputSchema.Select(c => $"{c.Name} ({c.Type})"))}.");

// ML.NET keeps the label's type in PredictedLabel: text for class names, Single for numeric labels (the tool trains
// the digits with numeric labels). This app reads the class as text, so a numeric PredictedLabel is converted.
LabeledDataset digits = DigitsDataset.Load(scaleToUnitInterval: true);
if (model.GetOutputSchema(inputSchema)["PredictedLabel"].Type is not TextDataViewType)
{
    IDataView probe = mlContext.Data.LoadFromEnumerable(new[] { new DigitInput { Features = digits.Row(0).ToArray() } });
    ITransformer toText = mlContext.Transforms.Conversion.ConvertType("PredictedLabel", outputKind: DataKind.String)
        .Fit(model.Transform(probe));
    model = model.Append(toText);
}

// 2. Score single inputs with a PredictionEngine (only the Features are given).
var engine = mlContext.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(model);
for (int i = 0; i < 5; i++)
{
    DigitPrediction prediction = engine.Predict(new DigitInput { Features = digits.Row(i).ToArray() });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  digit #{i}: true {digits.ClassNames[digits.Labels[i]]}, predicted {prediction.PredictedLabel} (probability {prediction.Score.Max():P1})"));
}

// 3. Score a whole data view in one Transform and count the hits.
IDataView all = mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, digits.Count)
    .Select(i => new LabeledDigit { Features = digits.Row(i).ToArray(), Label = digits.Labels[i] }));
int hits = mlContext.Data.CreateEnumerable<DigitPrediction>(model.Transform(all), reuseRowObject: false)
    .Zip(digits.Labels)
    .Count(pair => pair.First.PredictedLabel == digits.ClassNames[pair.Second]);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Accuracy on all {digits.Count} digits: {hits / (double)digits.Count:P2}."));

// 4. Robustness of the loaded model. The label is the digit itself, which is the class index of the model's classes
//    "0".."9". A loaded zip is attacked through its Score column (noise and the black-box Square attack); gradient
//    attacks need a differentiable model and are skipped with a notice.
var clock = Stopwatch.StartNew();
var options = new RobustnessOptions
{
    LowerBound = 0,
    UpperBound = 1,
    Epsilons = [0.05f, 0.1f, 0.2f],
    Attacks = [new GaussianNoiseAttack(draws: 1), new SquareAttack(maxQueries: quick ? 200 : 1000)],
    MaxExamples = quick ? 60 : 300,
    BisectionSteps = quick ? 0 : 6,
    RunSanityChecks = !quick,
    Seed = 1,
};
RobustnessReport report = mlContext.MulticlassClassification.EvaluateRobustness(model, all, options);
Console.WriteLine(report);
report.SaveJson(reportPath, overwrite: false);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Robustness measured in {clock.Elapsed.TotalSeconds:F1} s; report written to {reportPath}."));
return 0;
