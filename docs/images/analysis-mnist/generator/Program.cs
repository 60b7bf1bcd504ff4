// Regenerates the figures and tables in docs/images/analysis-mnist on full MNIST:
//   dotnet run -c Release --project docs/images/analysis-mnist/generator -- --models DIR [--output DIR] [--mnist DIR]
// The reference networks 784-200-200-10 (ReLU) trained 5 epochs at lambda = 0, 0.1 (and 0.1 with a quarter of the
// batch penalized) are read from the models folder (written by the benchmarks' MNIST reference run); an ML.NET
// LightGbm model and an ML.NET maximum-entropy (multinomial logistic regression) model are trained here on the first
// 10,000 training images. Everything sees the standardised input x = (pixel / 255 - 0.1307) / 0.3081.
// Takes a few minutes on two cores.
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using MLNetJacobian.Analysis;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Plotting;
using MLNetJacobian.Models;

const float PixelMean = 0.1307f, PixelStd = 0.3081f;
const int TreeTrainingRows = 10_000, StatisticsExamples = 1_000, BoundaryExamples = 200, CellExamples = 100, CellResolution = 41;
const double RandomRadius = 64, SingularRadius = 10, BoundaryRadius = 96;
int[] figureExamples = [0, 1, 4];

if (ReferenceNetworkArguments.Parse(args, "docs/images/analysis-mnist/generator", ["lambda0", "lambda0.1", "lambda0.1-p0.25"], acceptsNetworkExamples: false)
    is not { } arguments)
{
    return 2;
}

string output = arguments.OutputFolder;
string mnistFolder = arguments.MnistFolder;
string cacheFolder = Path.Combine(Path.GetTempPath(), "mlnetjacobian-mnist-figures");
var clock = Stopwatch.StartNew();
void Log(string message) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:F1} s] {message}"));

string[] classNames = Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
LabeledDataset test = ReadMnist("t10k");
LabeledDataset trainSubset = ReadMnist("train", TreeTrainingRows);
LabeledDataset statisticsSet = test with { Features = test.Features[..(StatisticsExamples * test.FeatureCount)], Labels = test.Labels[..StatisticsExamples] };
Log($"MNIST read: {test.Count} test images, {trainSubset.Count} training images for the ML.NET models");

var context = new MLContext(seed: 1);
var models = new List<(string Name, IModel Model)>
{
    LoadNetwork("MLP, lambda = 0", "lambda0"),
    LoadNetwork("MLP, lambda = 0.1", "lambda0.1"),
    LoadNetwork("MLP, lambda = 0.1, p = 0.25", "lambda0.1-p0.25"),
};

IDataView trainView = ToView(trainSubset);
ITransformer lightGbm = TrainOrLoad("lightgbm", () => context.MulticlassClassification.Trainers
    .LightGbm(new LightGbmMulticlassTrainer.Options { NumberOfIterations = 100, NumberOfLeaves = 16, NumberOfThreads = 2, Seed = 1 })
    .Fit(trainView));
models.Add(("LightGbm", new TransformerModel(lightGbm, test.FeatureCount)));
ITransformer maximumEntropy = TrainOrLoad("maximum-entropy", () => context.MulticlassClassification.Trainers
    .LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options { MaximumNumberOfIterations = 100, NumberOfThreads = 2 })
    .Fit(trainView));
ITransformer maximumEntropyLast = maximumEntropy is TransformerChain<ITransformer> chain ? chain.LastTransformer : maximumEntropy;
var maximumEntropyWeights = (LinearMulticlassModelParametersBase)((IPredictionTransformer<object>)maximumEntropyLast).Model;
models.Add(("LbfgsMaximumEntropy", LinearModel.FromParameters(maximumEntropyWeights)));

// Training the ML.NET models takes minutes on a loaded machine: they are kept in the cache folder between runs.
ITransformer TrainOrLoad(string name, Func<ITransformer> train)
{
    string path = Path.Combine(cacheFolder, $"mnist-{name}-{TreeTrainingRows}.zip");
    if (File.Exists(path))
    {
        Log($"{name}: loaded from {path}");
        return context.Model.Load(path, out _);
    }

    ITransformer model = train();
    Directory.CreateDirectory(cacheFolder);
    context.Model.Save(model, trainView.Schema, path);
    Log($"{name}: trained, saved to {path}");
    return model;
}

double[] fullAccuracy = models.Select(m => Accuracy(m.Model, test)).ToArray();
Log("accuracy on the full test set: " + string.Join(", ", fullAccuracy.Select(a => a.ToString("F4", CultureInfo.InvariantCulture))));

ModelComparisonReport report = ModelComparison.Run(models, statisticsSet, new ModelComparison.Options
{
    StatisticsExamples = StatisticsExamples,
    FigureExamples = [],
    IncludeSingularPlanes = false,
    Boundary = new DecisionBoundaryDistance.Options { MaxRadius = BoundaryRadius, ScanSteps = 96, BisectionSteps = 12, MaxExamples = BoundaryExamples, RandomDirectionCount = 8, Seed = 1 },
});
Log("statistics and boundary distances done");

// Share of the map inside the input's cell, over the first CellExamples test images: a random plane (seed 1 + row)
// and the plane of the top two right singular vectors of the lambda = 0 network's Jacobian, the same for every model.
IJacobianModel planeSource = (IJacobianModel)models[0].Model;
var randomCells = models.Select(_ => new List<double>()).ToArray();
var singularCells = models.Select(_ => new List<double>()).ToArray();
for (int example = 0; example < CellExamples; example++)
{
    DecisionPlane random = DecisionPlane.Random(test.Row(example), 1 + example);
    DecisionPlane singular = DecisionPlane.TopSingularDirections(test.Row(example), planeSource);
    for (int m = 0; m < models.Count; m++)
    {
        randomCells[m].Add(DecisionCellMap.Compute(models[m].Model, random, RandomRadius, CellResolution, models[m].Name).CenterCellFraction);
        singularCells[m].Add(DecisionCellMap.Compute(models[m].Model, singular, SingularRadius, CellResolution, models[m].Name).CenterCellFraction);
    }
}

Log("cell shares done");

Directory.CreateDirectory(output);
var text = new StringBuilder(report.ToString());
foreach (ModelComparisonReport.Row row in report.Models.Where(r => r.Jacobian is not null))
{
    text.AppendLine().AppendLine("== " + row.Name).Append(row.Jacobian!.ToString());
}

File.WriteAllText(Path.Combine(output, "comparison.txt"), text.ToString());
report.SaveJson(Path.Combine(output, "comparison.json"), overwrite: true);
File.WriteAllText(Path.Combine(output, "table.md"), Table());
Console.WriteLine(Table());

// The figures: the two MLPs and the two ML.NET models, side by side on the same planes.
(string Name, IModel Model)[] drawn = [models[0], models[1], models[3], models[4]];
foreach (int example in figureExamples)
{
    string label = classNames[test.Labels[example]];
    DecisionPlane random = DecisionPlane.Random(test.Row(example), 1 + example);
    DecisionPlane singular = DecisionPlane.TopSingularDirections(test.Row(example), planeSource);
    SaveFigure(random, RandomRadius, Invariant($"MNIST test image {example} (a '{label}'): random plane"), Invariant($"cells-example{example}-random.png"));
    SaveFigure(singular, SingularRadius, Invariant($"MNIST test image {example} (a '{label}'): top two singular directions of J(x) of MLP, lambda = 0"),
        Invariant($"cells-example{example}-singular.png"));
    Log($"figures of example {example} done");
}

return 0;

void SaveFigure(DecisionPlane plane, double radius, string title, string fileName)
{
    DecisionCellMap[] grids = drawn.Select(m => DecisionCellMap.Compute(m.Model, plane, radius, 161, m.Name)).ToArray();
    new DecisionCellFigure(grids, new DecisionCellFigureOptions { Title = title, ImageShape = new ImageShape(1, 28, 28), PanelSize = 260, StripImageSize = 84 })
        .SavePng(Path.Combine(output, fileName), overwrite: true);
}

string Table()
{
    var table = new StringBuilder();
    table.AppendLine(Invariant($"Statistics on the first {StatisticsExamples:N0} test images; boundary distances on the first {BoundaryExamples} (8 random directions each, searched to radius {BoundaryRadius} in steps of 1, then bisected);"));
    table.AppendLine(Invariant($"cell shares on the first {CellExamples} ({CellResolution}x{CellResolution} grids; random plane radius {RandomRadius}, singular plane radius {SingularRadius})."));
    table.AppendLine("Norms and distances in standardised units (what the network sees); in [0, 1] pixel units, ||J|| is 1/0.3081 = 3.25 times larger and distances 0.3081 times smaller.");
    table.AppendLine();
    table.AppendLine("| model | accuracy (10,000) | accuracy (subset) | mean ‖J‖_F | median ‖J‖_F | p95 ‖J‖_F | median ‖J‖_2 | p95 ‖J‖_2 | median ‖J‖_F, pixel units | boundary, gradient dir. (median) | boundary, random dir. (median) | nearest of 8 random (median) | cell share, random plane | cell share, singular plane |");
    table.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (int m = 0; m < models.Count; m++)
    {
        ModelComparisonReport.Row row = report.Models[m];
        JacobianAnalysisReport.GroupSummary? j = row.Jacobian?.Overall;
        table.AppendLine(Invariant(
            $"| {row.Name} | {fullAccuracy[m]:F4} | {row.Accuracy:F4} | {Number(j?.FrobeniusNorm.Mean)} | {Number(j?.FrobeniusNorm.Median)} | {Number(j?.FrobeniusNorm.Percentile95)} | {Number(j?.SpectralNorm.Median)} | {Number(j?.SpectralNorm.Percentile95)} | {Number(j?.FrobeniusNorm.Median / PixelStd)} | {Distance(row.Boundary.GradientDirection)} | {Distance(row.Boundary.RandomDirections)} | {Distance(row.Boundary.NearestRandomDirection)} | {Percent(randomCells[m])} | {Percent(singularCells[m])} |"));
    }

    table.AppendLine();
    table.AppendLine("The same in [0, 1] pixel units (Jacobians with respect to pixel / 255, distances as L2 norms of pixel changes):");
    table.AppendLine();
    table.AppendLine("| model | median ‖J‖_F | p95 ‖J‖_F | median ‖J‖_2 | boundary, gradient dir. (median) | nearest of 8 random (median) |");
    table.AppendLine("|---|---|---|---|---|---|");
    foreach (ModelComparisonReport.Row row in report.Models)
    {
        JacobianAnalysisReport.GroupSummary? j = row.Jacobian?.Overall;
        table.AppendLine(Invariant(
            $"| {row.Name} | {Number(j?.FrobeniusNorm.Median / PixelStd)} | {Number(j?.FrobeniusNorm.Percentile95 / PixelStd)} | {Number(j?.SpectralNorm.Median / PixelStd)} | {Distance(row.Boundary.GradientDirection, PixelStd)} | {Distance(row.Boundary.NearestRandomDirection, PixelStd)} |"));
    }

    foreach (ModelComparisonReport.Row row in report.Models)
    {
        foreach (string notice in row.Boundary.Notices) table.AppendLine().AppendLine(Invariant($"Note ({row.Name}): {notice}"));
    }

    return table.ToString();
}

static string Number(double? value) => value is { } v ? v.ToString("G3", CultureInfo.InvariantCulture) : "–";

static string Distance(BoundaryDistanceReport.Summary? summary, double scale = 1)
{
    if (summary is null) return "–";
    string found = Invariant($"{summary.FoundCount}/{summary.FoundCount + summary.NotFoundCount} found");
    return summary.MedianIncludingNotFound is { } median ? Invariant($"{median * scale:G3} ({found})") : Invariant($"> {BoundaryRadius * scale:G3} ({found})");
}

static string Percent(List<double> values)
{
    double[] sorted = values.Order().ToArray();
    return Invariant($"mean {100 * values.Average():F0}%, median {100 * DistributionSummary.PercentileOfSorted(sorted, 50):F0}%");
}

static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

static double Accuracy(IModel classifier, LabeledDataset data)
{
    var scores = new float[data.Count * classifier.OutputCount];
    classifier.ComputeOutputs(data.Features, data.Count, scores);
    int k = classifier.OutputCount;
    int ArgMax(int row) => Enumerable.Range(0, k).Aggregate((best, j) => scores[row * k + j] > scores[row * k + best] ? j : best);
    return Enumerable.Range(0, data.Count).Count(i => ArgMax(i) == data.Labels[i]) / (double)data.Count;
}

(string Name, IModel Model) LoadNetwork(string name, string tag)
{
    string path = arguments.NetworkPath(tag);
    ReadOnlySpan<float> parameters = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path));
    var network = FeedForwardNetwork<float>.FromParameters(new NetworkArchitecture(784, [200, 200], 10, Activation.Relu), parameters);
    var classifier = new NetworkModel<float>(network, classNames);
    return (name, classifier);
}

// IDX files (big-endian int32 magic and dimensions, then unsigned bytes), standardised as in training.
LabeledDataset ReadMnist(string prefix, int maxRows = int.MaxValue)
{
    byte[] images = Decompress(Path.Combine(mnistFolder, prefix + "-images-idx3-ubyte.gz"));
    byte[] labels = Decompress(Path.Combine(mnistFolder, prefix + "-labels-idx1-ubyte.gz"));
    int count = Math.Min(maxRows, BigEndian(images, 4)), featureCount = BigEndian(images, 8) * BigEndian(images, 12);
    if (BigEndian(images, 0) != 0x803 || BigEndian(labels, 0) != 0x801 || BigEndian(labels, 4) != BigEndian(images, 4) || featureCount != 784)
    {
        throw new InvalidDataException($"'{prefix}' is not a pair of MNIST IDX files.");
    }

    var features = new float[count * featureCount]; // [N, 784]
    for (int i = 0; i < features.Length; i++) features[i] = (images[16 + i] / 255f - PixelMean) / PixelStd;
    return new LabeledDataset(features, labels.AsSpan(8, count).ToArray().Select(b => (int)b).ToArray(), featureCount, classNames);
}

static int BigEndian(byte[] bytes, int offset) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset, 4));

static byte[] Decompress(string path)
{
    using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
    using var buffer = new MemoryStream();
    input.CopyTo(buffer);
    return buffer.ToArray();
}

IDataView ToView(LabeledDataset data)
{
    var rows = Enumerable.Range(0, data.Count).Select(i => new DigitRow { Features = data.Row(i).ToArray(), Label = data.ClassNames[data.Labels[i]] }).ToArray();
    SchemaDefinition schema = SchemaDefinition.Create(typeof(DigitRow));
    schema[nameof(DigitRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, data.FeatureCount);
    IDataView raw = context.Data.LoadFromEnumerable(rows, schema);
    IDataView keys = context.Data.LoadFromEnumerable(data.ClassNames.Select(n => new KeyRow { Label = n }));
    return context.Transforms.Conversion.MapValueToKey("Label", keyData: keys).Fit(raw).Transform(raw);
}

internal sealed class DigitRow
{
    public float[] Features { get; set; } = [];

    public string Label { get; set; } = "";
}

internal sealed class KeyRow
{
    public string Label { get; set; } = "";
}
