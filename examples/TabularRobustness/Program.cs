// TabularRobustness: the Jacobian-regularized network beside ML.NET's LightGbm, FastTree, SDCA and logistic regression
// on three tabular data sets ML.NET users know: NYC taxi fares and hourly bike rentals (regression), breast cancer
// (binary). Prints test metrics per model, then how far each model's output moves when chosen features are perturbed
// (in standard deviations of the training rows), and writes figures.
//
// Usage: dotnet run -c Release --project examples/TabularRobustness -- [DATA_FOLDER] [--output FOLDER] [--force]
//          [--data-sets taxi,bike,cancer] [--lambdas 0,0.01,0.1,1] [--seed N] [--quick]
//          [--hidden 64,64] [--epochs N] [--batch N] [--learning-rate X] [--optimizer Adam|Sgd] [--schedule Cosine|Constant|StepDecay]
//          [--activation Relu|Tanh|Softplus|Gelu] [--weight-decay X]
//   DATA_FOLDER holds taxi-fare-train.csv, taxi-fare-test.csv, bike-sharing-hour-train.csv, bike-sharing-hour-test.csv and
//   breast-cancer.csv, plain or .gz (README: where each comes from); default: tabular in the folder MLNETJACOBIAN_SHARED_DATA
//   names, else ../shared/data/tabular beside the repository. The output folder (default tabular-robustness) must be new or
//   empty unless --force is given (then files of the same name are replaced, each written atomically). The network options
//   replace the tuned per-data-set settings for every data set chosen. --quick (or MLNETJACOBIAN_EXAMPLES_QUICK=1): row caps
//   and few epochs, for CI.
using System.Globalization;
using Microsoft.ML;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;
using TabularRobustness;

var cli = CommandLine.Parse(args);
if (cli.Error is not null)
{
    Console.Error.WriteLine($"error: {cli.Error}");
    return 2;
}

string? folder = cli.DataFolder ?? DefaultFolder();
if (folder is null || !Directory.Exists(folder))
{
    Console.Error.WriteLine($"error: no data folder{(folder is null ? "" : $" at '{folder}'")}. Pass the folder holding the CSV files as the first argument.");
    Console.Error.WriteLine(DataSets.TaxiProvenance);
    Console.Error.WriteLine(DataSets.BikeProvenance);
    Console.Error.WriteLine(DataSets.BreastCancerProvenance);
    return 2;
}

var output = OutputFolder.Open(cli.Output, cli.Force, out string? outputError);
if (output is null)
{
    Console.Error.WriteLine($"error: {outputError}");
    return 2;
}

int? maxRows = cli.Quick ? 3000 : null;
Console.WriteLine($"Data from {Path.GetFullPath(folder)}; seed {cli.Seed}{(cli.Quick ? "; quick settings (row caps, few epochs): not the README's figures" : "")}.");
var report = new ResultsReport(cli.Seed, cli.Quick);
try
{
    foreach (string set in cli.DataSets)
    {
        var mlContext = new MLContext(cli.Seed);
        switch (set)
        {
            case "taxi":
            {
                TabularDataSet data = DataSets.TaxiFares(mlContext, folder, maxRows);
                NetworkSettings network = cli.Apply(cli.Quick ? Tuned.Taxi with { Epochs = 2 } : Tuned.Taxi);
                report.Add(RunRegression(mlContext, data, network));
                break;
            }

            case "bike":
            {
                TabularDataSet data = DataSets.BikeSharing(mlContext, folder, maxRows);
                NetworkSettings network = cli.Apply(cli.Quick ? Tuned.Bike with { Epochs = 3 } : Tuned.Bike);
                report.Add(RunRegression(mlContext, data, network));
                break;
            }

            case "cancer":
            {
                TabularDataSet data = DataSets.BreastCancer(mlContext, folder, cli.Seed);
                NetworkSettings network = cli.Apply(cli.Quick ? Tuned.Cancer with { Epochs = 10 } : Tuned.Cancer);
                report.Add(RunBinary(mlContext, data, network));
                break;
            }
        }
    }
}
catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

string? invalid = report.FirstNonFiniteMetric();
if (invalid is not null)
{
    // A NaN or infinite metric means a model or the evaluation failed; the tables would mislead.
    Console.Error.WriteLine($"error: {invalid}");
    return 1;
}

output.Write("results.json", report.ToJson());
output.Write("results.md", report.ToMarkdown());
Console.WriteLine($"Results in {output.FullPath}.");
return 0;

DataSetResult RunRegression(MLContext mlContext, TabularDataSet data, NetworkSettings network)
{
    Console.WriteLine($"{data.Name}: {data.TrainCount:N0} training, {data.TestCount:N0} test rows, {data.SlotNames.Count} features ({data.Preparation}).");
    Console.WriteLine($"  network: {network}");
    List<Contender> contenders = Contenders.Regression(mlContext, data, network, cli.Lambdas, cli.Seed, Console.WriteLine);
    var result = new DataSetResult(data, network.ToString(), contenders, ["RMSE", "MAE", "R^2"]);
    Console.WriteLine();
    Console.WriteLine(result.MetricsTable());
    return result;
}

DataSetResult RunBinary(MLContext mlContext, TabularDataSet data, NetworkSettings network)
{
    Console.WriteLine($"{data.Name}: {data.TrainCount:N0} training, {data.TestCount:N0} test rows, {data.SlotNames.Count} features ({data.Preparation}).");
    Console.WriteLine($"  network: {network}");
    List<Contender> contenders = Contenders.Binary(mlContext, data, network, cli.Lambdas, cli.Seed, Console.WriteLine);
    var result = new DataSetResult(data, network.ToString(), contenders, ["accuracy", "AUC", "log-loss"]);
    Console.WriteLine();
    Console.WriteLine(result.MetricsTable());
    return result;
}

static string? DefaultFolder()
{
    // As the tests do: MLNETJACOBIAN_SHARED_DATA names the shared data folder, else ../shared/data beside the repository.
    if (Environment.GetEnvironmentVariable("MLNETJACOBIAN_SHARED_DATA") is { Length: > 0 } shared) return Path.Combine(shared, "tabular");
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "MLNetJacobian.sln"))) return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "tabular"));
    }

    return null;
}
