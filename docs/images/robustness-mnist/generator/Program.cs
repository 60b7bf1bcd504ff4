// Regenerates the robustness reports, plots and tables in docs/images/robustness-mnist on full MNIST:
//   dotnet run -c Release --project docs/images/robustness-mnist/generator -- --models DIR [--output DIR] [--mnist DIR]
//     [--network-examples N]
// Everything is attacked in [0, 1] pixel space (pixel / 255), like the PyTorch reference rerun:
// - the reference networks 784-200-200-10 (ReLU) trained 5 epochs at lambda = 0, 0.1 and 0.1 with p = 0.25, read
//   from the models folder (written by the benchmarks' MNIST reference run). They were trained on the standardised
//   input (pixel - 0.1307) / 0.3081; that affine map is folded exactly into the first layer so they take pixels;
// - ML.NET's LbfgsMaximumEntropy trained here on the training pixels, attacked white-box through its weights;
// - ML.NET's LightGbm trained here on a subset of the training pixels, attacked black-box (Square, noise).
// The ML.NET models are cached in $TMPDIR between runs: about 5 minutes with the cache on two loaded cores, about 10 the
// first time (training LightGbm on 20,000 rows took ~5 minutes there, the maximum-entropy model ~30 s).
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using MLNetJacobian.Compute;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Robustness;
using MLNetJacobian.Plotting;
using MLNetJacobian.Models;

const float PixelMean = 0.1307f, PixelStd = 0.3081f;
const int LinearTrainingRows = 60_000, TreeTrainingRows = 20_000, TreeTestRows = 1_000, SquareQueries = 1_000, Seed = 7;
float[] epsilons = [0.05f, 0.1f, 0.2f, 0.3f];
float[] sigmas = [0.1f, 0.3f, 0.5f];

if (ReferenceNetworkArguments.Parse(args, "docs/images/robustness-mnist/generator", ["lambda0", "lambda0.1", "lambda0.1-p0.25"], acceptsNetworkExamples: true)
    is not { } arguments)
{
    return 2;
}

string output = arguments.OutputFolder;
string mnistFolder = arguments.MnistFolder;
int? networkExamples = arguments.NetworkExamples;
string cacheFolder = Path.Combine(Path.GetTempPath(), "mlnetjacobian-robustness-mnist");
var clock = Stopwatch.StartNew();
var log = new StringBuilder();
void Log(string message)
{
    string line = Invariant($"[{clock.Elapsed.TotalSeconds,6:F1} s] {message}");
    Console.WriteLine(line);
    log.AppendLine(line);
}

LabeledDataset test = MnistDataset.Load(mnistFolder, MnistSplit.Test);
LabeledDataset train = MnistDataset.Load(mnistFolder, MnistSplit.Train);
Log($"MNIST read: {train.Count} training and {test.Count} test images, pixels / 255 in [0, 1]");
Directory.CreateDirectory(output);

var results = new List<(string Name, string Stem, RobustnessReport Report)>();
var unclipped = new Dictionary<string, RobustnessReport>();

// Gaussian noise without clipping to [0, 1] (bounds far outside the pixels), as a PyTorch script that adds noise and
// does not clamp would measure it: a second, noise-only evaluation per model.
RobustnessOptions UnclippedNoise(int? examples) => new()
{
    LowerBound = -5,
    UpperBound = 6,
    Epsilons = epsilons,
    Attacks = [new GaussianNoiseAttack(draws: 1) { Strengths = sigmas }],
    MaxExamples = examples,
    BisectionSteps = 0,
    ThreadCount = 1,
    Seed = Seed,
};

// The networks: standardisation folded into the first layer, checked against the standardised path.
foreach ((string name, string tag) in new[] { ("MLP, lambda = 0", "lambda0"), ("MLP, lambda = 0.1", "lambda0.1"), ("MLP, lambda = 0.1, p = 0.25", "lambda0.1-p0.25") })
{
    var architecture = new NetworkArchitecture(784, [200, 200], 10, Activation.Relu);
    float[] parameters = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(arguments.NetworkPath(tag))).ToArray();
    var standardised = FeedForwardNetwork<float>.FromParameters(architecture, parameters);
    var pixels = FeedForwardNetwork<float>.FromParameters(architecture, FoldStandardisation(parameters));
    var model = new NetworkModel<float>(pixels, gemm: new ManagedGemmProvider(1), maxBatchSize: 256, description: $"{name} (784-200-200-10 ReLU, pixel input)");
    CheckFolding(name, standardised, model);
    RobustnessReport report = RobustnessEvaluator.Evaluate(model, test.Features, test.Labels, new RobustnessOptions
    {
        Epsilons = epsilons,
        Attacks =
        [
            new GaussianNoiseAttack(draws: 1) { Strengths = sigmas },
            new UniformNoiseAttack(draws: 1),
            PgdAttack.Fgsm(PerturbationNorm.LInfinity),
            PgdAttack.MadryMnist(),
            new ApgdAttack(new CrossEntropyLoss()) { Strengths = [0.05f, 0.1f] },
        ],
        MaxExamples = networkExamples,
        BisectionSteps = 6,
        ThreadCount = 1,
        Seed = Seed,
    });
    Save(name, "mlp-" + tag, report, RobustnessEvaluator.Evaluate(model, test.Features, test.Labels, UnclippedNoise(networkExamples)));
}

// ML.NET's multinomial logistic regression on the pixels, white-box through its public weights.
var context = new MLContext(seed: 1);
IDataView testView = ToView(test, test.Count);
ITransformer maximumEntropy = TrainOrLoad("maximum-entropy", LinearTrainingRows, view => context.MulticlassClassification.Trainers
    .LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options { MaximumNumberOfIterations = 100, NumberOfThreads = 2 })
    .Fit(view));
Save("LbfgsMaximumEntropy", "lbfgs-maximum-entropy", context.MulticlassClassification.EvaluateRobustness(maximumEntropy, testView, new RobustnessOptions
{
    Epsilons = epsilons,
    Attacks =
    [
        new GaussianNoiseAttack(draws: 1) { Strengths = sigmas },
        new UniformNoiseAttack(draws: 1),
        PgdAttack.Fgsm(PerturbationNorm.LInfinity),
        PgdAttack.MadryMnist(),
        new ApgdAttack(new CrossEntropyLoss()),
    ],
    BisectionSteps = 6,
    ThreadCount = 1,
    Seed = Seed,
}), context.MulticlassClassification.EvaluateRobustness(maximumEntropy, testView, UnclippedNoise(null)));

// LightGbm: no gradient, so Square (scores only) and noise, on the first test images.
ITransformer lightGbm = TrainOrLoad("lightgbm", TreeTrainingRows, view => context.MulticlassClassification.Trainers
    .LightGbm(new LightGbmMulticlassTrainer.Options { NumberOfIterations = 100, NumberOfLeaves = 16, NumberOfThreads = 2, Seed = 1 })
    .Fit(view));
Save("LightGbm", "lightgbm", context.MulticlassClassification.EvaluateRobustness(lightGbm, testView, new RobustnessOptions
{
    Epsilons = epsilons,
    Attacks =
    [
        new GaussianNoiseAttack(draws: 1) { Strengths = sigmas },
        new UniformNoiseAttack(draws: 1),
        new SquareAttack(maxQueries: SquareQueries) { ImageHeight = 28, ImageWidth = 28 },
    ],
    MaxExamples = TreeTestRows,
    MinimalPerturbationAttack = new SquareAttack(maxQueries: 300) { ImageHeight = 28, ImageWidth = 28 },
    BisectionSteps = 4,
    SanityExampleCount = 100,
    ThreadCount = 2,
    Seed = Seed,
}), context.MulticlassClassification.EvaluateRobustness(lightGbm, testView, UnclippedNoise(TreeTestRows)));

// Why LightGbm falls to faint noise: raise only the background (pixels exactly 0) by a constant and see.
var treeScores = new TransformerModel(lightGbm, testView.Schema, description: "LightGbm");
foreach (float shift in new[] { 0f, 0.02f, 0.05f, 0.1f })
{
    float[] shifted = test.Features[..(TreeTestRows * 784)].Select(p => p == 0 ? shift : p).ToArray();
    var scores = new float[TreeTestRows * 10];
    treeScores.ComputeOutputs(shifted, TreeTestRows, scores);
    int right = Enumerable.Range(0, TreeTestRows).Count(i => ArgMax(scores.AsSpan(i * 10, 10)) == test.Labels[i]);
    Log($"LightGbm, background pixels (exactly 0) set to {shift}: accuracy {100.0 * right / TreeTestRows:F1}% on the first {TreeTestRows} test images");
}

string table = Table();
File.WriteAllText(Path.Combine(output, "table.md"), table);
Console.WriteLine(table);
Log("done");
File.WriteAllText(Path.Combine(output, "generator.log"), log.ToString());
return 0;

void Save(string name, string stem, RobustnessReport report, RobustnessReport noise)
{
    File.WriteAllText(Path.Combine(output, stem + "-gaussian-unclipped.txt"), noise.ToString());
    unclipped[name] = noise;
    Log($"{name}: unclipped Gaussian noise evaluated, {noise.Warnings.Count} sanity warning(s)");
    foreach (string warning in noise.Warnings) Log("  WARNING (unclipped noise) " + warning);
    report.SaveJson(Path.Combine(output, stem + ".json"), overwrite: true);
    report.SavePlot(Path.Combine(output, stem + ".png"), overwrite: true);
    File.WriteAllText(Path.Combine(output, stem + ".txt"), report.ToString());
    results.Add((name, stem, report));
    Log($"{name}: clean {100 * report.CleanAccuracy:F2}% on {report.ExampleCount} images, {report.Warnings.Count} sanity warning(s), {report.Elapsed.TotalSeconds:F0} s");
    foreach (string warning in report.Warnings) Log("  WARNING " + warning);
    foreach (string notice in report.Notices) Log("  notice: " + notice);
}

// x = (p - m) / s, so W x + b = (W / s) p + (b - (m / s) W 1): the first layer's weights and biases change, the rest not.
static float[] FoldStandardisation(float[] parameters)
{
    const int inputs = 784, outputs = 200;
    var folded = (float[])parameters.Clone(); // layer 1: W [200, 784] row-major, then b [200]
    for (int o = 0; o < outputs; o++)
    {
        double rowSum = 0;
        for (int i = 0; i < inputs; i++)
        {
            rowSum += parameters[o * inputs + i];
            folded[o * inputs + i] = parameters[o * inputs + i] / PixelStd;
        }

        folded[outputs * inputs + o] = (float)(parameters[outputs * inputs + o] - PixelMean / (double)PixelStd * rowSum);
    }

    return folded;
}

// The folded network on pixels must give the logits of the original network on standardised pixels.
void CheckFolding(string name, FeedForwardNetwork<float> standardised, NetworkModel<float> folded)
{
    const int rows = 8;
    var original = new NetworkModel<float>(standardised, gemm: new ManagedGemmProvider(1), maxBatchSize: 256);
    float[] x = test.Features[..(rows * 784)];
    float[] z = x.Select(p => (p - PixelMean) / PixelStd).ToArray();
    var expected = new float[rows * 10];
    var actual = new float[rows * 10];
    original.ComputeOutputs(z, rows, expected);
    folded.ComputeOutputs(x, rows, actual);
    double largest = expected.Zip(actual, (e, a) => Math.Abs(e - (double)a)).Max();
    double scale = expected.Max(Math.Abs);
    int agree = 0;
    var allScores = new float[test.Count * 10];
    folded.ComputeOutputs(test.Features, test.Count, allScores);
    for (int i = 0; i < test.Count; i++)
    {
        if (ArgMax(allScores.AsSpan(i * 10, 10)) == test.Labels[i]) agree++;
    }

    // float32 logits of size ~10 after three layers: a few 1e-5 of difference is rounding, anything near 1e-2 is a bug.
    if (largest > 1e-3 * Math.Max(1, scale)) throw new InvalidOperationException($"{name}: folded logits differ by {largest}.");
    Log($"{name}: folding checked on {rows} rows, largest logit difference {largest:G2} (logits up to {scale:F1}); accuracy on pixels {100.0 * agree / test.Count:F2}%");
}

static int ArgMax(ReadOnlySpan<float> values)
{
    int best = 0;
    for (int i = 1; i < values.Length; i++)
    {
        if (values[i] > values[best]) best = i;
    }

    return best;
}

// Training the ML.NET models takes minutes on a loaded machine: they are kept in the cache folder between runs.
ITransformer TrainOrLoad(string name, int rows, Func<IDataView, ITransformer> fit)
{
    string path = Path.Combine(cacheFolder, $"mnist-pixels-{name}-{rows}.zip");
    if (File.Exists(path))
    {
        Log($"{name}: loaded from {path} (trained on the first {rows} training images)");
        return context.Model.Load(path, out _);
    }

    IDataView view = ToView(train, rows);
    var watch = Stopwatch.StartNew();
    ITransformer model = fit(view);
    Directory.CreateDirectory(cacheFolder);
    context.Model.Save(model, view.Schema, path);
    Log($"{name}: trained on the first {rows} training images in {watch.Elapsed.TotalSeconds:F0} s, saved to {path}");
    return model;
}

IDataView ToView(LabeledDataset data, int rows)
{
    var items = Enumerable.Range(0, rows).Select(i => new DigitRow { Features = data.Row(i).ToArray(), Label = data.ClassNames[data.Labels[i]] }).ToArray();
    SchemaDefinition schema = SchemaDefinition.Create(typeof(DigitRow));
    schema[nameof(DigitRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, data.FeatureCount);
    IDataView raw = context.Data.LoadFromEnumerable(items, schema);
    IDataView keys = context.Data.LoadFromEnumerable(data.ClassNames.Select(n => new KeyRow { Label = n }));
    return context.Transforms.Conversion.MapValueToKey("Label", keyData: keys).Fit(raw).Transform(raw);
}

string Table()
{
    var text = new StringBuilder();
    text.AppendLine("| figure | " + string.Join(" | ", results.Select(r => r.Name)) + " |");
    text.AppendLine("|---|" + string.Concat(results.Select(_ => "---|")));
    Row("test images evaluated", r => r.ExampleCount.ToString("N0", CultureInfo.InvariantCulture));
    Row("clean accuracy", r => Percent(r.CleanAccuracy));
    string[] attacks = results.SelectMany(r => r.Report.Attacks.Select(a => a.Name)).Distinct().ToArray();
    foreach (string attack in attacks)
    {
        double[] strengths = results.SelectMany(r => r.Report.Attacks.Where(a => a.Name == attack).SelectMany(a => a.Points.Select(p => p.Strength))).Distinct().Order().ToArray();
        string prefix = attack.StartsWith("Gaussian", StringComparison.Ordinal) ? $"{attack}, sigma" : $"{attack}, eps";
        foreach (double strength in strengths)
        {
            Row(Invariant($"{prefix} {strength:0.##}"), r => r.Attacks.FirstOrDefault(a => a.Name == attack)?.Points.FirstOrDefault(p => p.Strength == strength) is { } point ? Percent(point.RobustAccuracy) : "–");
        }
    }

    foreach (float sigma in sigmas)
    {
        text.AppendLine(Invariant($"| Gaussian noise x1 NOT clipped to [0, 1], sigma {sigma:0.##} | ") + string.Join(" | ", results.Select(r =>
            unclipped[r.Name].Attacks[0].Points.FirstOrDefault(p => Math.Abs(p.Strength - sigma) < 1e-6) is { } point ? Percent(point.RobustAccuracy) : "–")) + " |");
    }

    foreach (double eps in epsilons)
    {
        Row(Invariant($"worst case per example (L-inf attacks), eps {eps:0.##}"), r =>
            r.WorstCase.FirstOrDefault()?.Points.FirstOrDefault(p => Math.Abs(p.Epsilon - eps) < 1e-6) is { } point ? Percent(point.RobustAccuracy) : "–");
    }

    Row("median minimal L-inf perturbation", r => r.MinimalPerturbation is { Median: { } median } m ? Invariant($"{median:0.###} ({m.Attack}, {m.BisectionSteps} bisections)") : "–");
    foreach (string attack in attacks)
    {
        Row($"time, {attack} (all strengths)", r => r.Attacks.FirstOrDefault(a => a.Name == attack) is { } curve ? Invariant($"{curve.Points.Sum(p => p.Seconds):F1} s") : "–");
    }

    Row("time, whole report (incl. bisection and sanity checks)", r => Invariant($"{r.Elapsed.TotalSeconds:F0} s"));
    Row("Square queries per attacked example, eps 0.1", r => r.Attacks.FirstOrDefault(a => a.Name.StartsWith("Square", StringComparison.Ordinal))?.Points.FirstOrDefault(p => Math.Abs(p.Strength - 0.1) < 1e-6) is { } point ? Invariant($"{point.QueriesPerExample:F0}") : "–");
    Row("sanity warnings", r => r.Warnings.Count.ToString(CultureInfo.InvariantCulture));
    return text.ToString();

    void Row(string label, Func<RobustnessReport, string> cell) => text.AppendLine($"| {label} | " + string.Join(" | ", results.Select(r => cell(r.Report))) + " |");
}

static string Percent(double fraction) => (100 * fraction).ToString("F1", CultureInfo.InvariantCulture) + "%";

static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

internal sealed class DigitRow
{
    public float[] Features { get; set; } = [];

    public string Label { get; set; } = "";
}

internal sealed class KeyRow
{
    public string Label { get; set; } = "";
}
