// The reference experiment (facebookresearch/jacobian_regularizer, MNIST): 784-200-200-10 ReLU, Xavier, SGD lr 0.01,
// momentum 0.9, weight decay 5e-4, batch 64, 5 epochs, n_proj 1, inputs scaled to [0, 1] and standardized with
// mean 0.1307 and std 0.3081, trained through the ML.NET pipeline for each lambda given (default 0.1 and 0).
// Reports test accuracy and the mean exact ||J||_F over the 10,000 test images, with respect to the standardized
// input the network sees (the quantity the penalty regularizes).
//
// Usage: dotnet run -c Release --project examples/MnistReference [--seed N] [mnist folder] [lambda ...]
//   The folder holds the four IDX files, plain or .gz (default: ../shared/data/mnist beside the repository);
//   the seed is the MLContext's (default 1), from which the trainer draws its own.
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Compute;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;
using MnistReference;

const float Mean = 0.1307f, Deviation = 0.3081f;
int seed = 1;
if (args.Length >= 2 && args[0] == "--seed")
{
    seed = int.Parse(args[1], CultureInfo.InvariantCulture);
    args = args[2..];
}

string folder = args.Length > 0 ? args[0] : DefaultFolder();
double[] lambdas = args.Length > 1 ? args.Skip(1).Select(a => double.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [0.1, 0.0];

var load = Stopwatch.StartNew();
LabeledDataset trainSet = MnistDataset.Load(folder, MnistSplit.Train);
LabeledDataset testSet = MnistDataset.Load(folder, MnistSplit.Test);
Console.WriteLine($"MNIST from {folder}: {trainSet.Count} training, {testSet.Count} test images, loaded and verified in {load.Elapsed.TotalSeconds:F1} s.");

var results = new List<string>();
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
    var options = new JacobianRegularizedTrainer.Options { JacobianWeight = lambda };   // every other default is the reference setting
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
    Console.WriteLine(line);
    results.Add(line);
}

Console.WriteLine();
Console.WriteLine($"MLContext seed {seed}:");
Console.WriteLine("| lambda | test accuracy | mean exact ||J||_F | training s |");
Console.WriteLine("|-------:|---------:|--------------:|-----------:|");
foreach (string line in results) Console.WriteLine(line);
return 0;

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
    var evaluator = new NetworkEvaluator<float>(model.CreateNetwork(), new ManagedGemmProvider(), batch);
    var x = new float[batch * testSet.FeatureCount];
    var normsSquared = new double[batch];
    double sum = 0;
    for (int start = 0; start < testSet.Count; start += batch)
    {
        int rows = Math.Min(batch, testSet.Count - start);
        for (int i = 0; i < rows * testSet.FeatureCount; i++) x[i] = (testSet.Features[start * testSet.FeatureCount + i] - Mean) / Deviation;
        evaluator.ComputeJacobianFrobeniusNormsSquared(x.AsSpan(0, rows * testSet.FeatureCount), rows, normsSquared);
        for (int i = 0; i < rows; i++) sum += Math.Sqrt(normsSquared[i]);
    }

    return sum / testSet.Count;
}

static string DefaultFolder()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "MLNetJacobian.sln"))) return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "mnist"));
    }

    throw new DirectoryNotFoundException("Pass the MNIST folder as the first argument.");
}
