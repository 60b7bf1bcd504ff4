using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Data;

namespace MLNetJacobian.Cli.Tests.Modeling;

/// <summary>
/// The Score's input-gradient norm of binary classifiers and regressors (analyze, compare): exact for this library's
/// networks, loaded from a zip through its normalizer, and labelled finite differences for other models.
/// </summary>
public sealed class ScoreGradientsTests
{
    /// <summary>x, y in [0, 1]; label 3x + 2y + 1 for odd rows.</summary>
    private static (string Csv, float[] Features, int Rows) Data(int rows = 120)
    {
        var text = new StringBuilder("x,y,z,target\n");
        var random = new Random(3);
        var features = new List<float>();
        for (int i = 0; i < rows; i++)
        {
            float x = (float)Math.Round(random.NextDouble(), 4), y = (float)Math.Round(random.NextDouble(), 4), z = i % 2;
            features.AddRange([x, y, z]);
            text.Append(CultureInfo.InvariantCulture, $"{x:F4},{y:F4},{z},{3 * x + 2 * y + z:F4}\n");
        }

        return (text.ToString(), features.ToArray(), rows);
    }

    [Fact]
    public void AnalyzeRegressionNetwork_FromZipWithNormalizer_ExactAndAgreesWithFiniteDifferences()
    {
        using var folder = new TemporaryFolder();
        (string csv, float[] features, int count) = Data();
        string data = folder.Write("line.csv", csv);
        string zip = folder.File("line.zip");
        CliRun train = CliRun.Start("train", "--data", data, "--model", zip, "--task", "regression", "--hidden-layers", "6", "--activation", "Tanh",
            "--normalize", "Standardize", "--epochs", "15", "--batch-size", "16", "--learning-rate", "0.05");
        Assert.True(train.ExitCode == 0, train.Output);
        string output = folder.File("analysis");

        CliRun run = CliRun.Start("analyze", "--model", zip, "--data", data, "--output", output, "--split", "all", "--statistics-rows", "40");

        Assert.True(run.ExitCode == 0, run.Output);
        using JsonDocument gradients = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "gradients.json")));
        JsonElement record = gradients.RootElement.GetProperty("models")[0];
        string method = record.GetProperty("method").GetString()!;
        Assert.StartsWith("exact: backpropagation of the prediction in the label's units", method, StringComparison.Ordinal);
        Assert.Contains("affine normalizer -> ", method, StringComparison.Ordinal);
        Assert.True(record.GetProperty("exact").GetBoolean());
        double cliMean = record.GetProperty("gradientNorm").GetProperty("Mean").GetDouble();

        // The same rows differentiated by central differences of the zip's float Score column.
        var context = new MLContext(seed: 1);
        (ITransformer model, _) = ModelFile.Load(context, zip, "--model");
        var rows = new LabeledDataset(features.AsSpan(0, 40 * 3).ToArray(), new int[40], 3, ["all", "-"]);
        ScoreGradients.Measured exact = ScoreGradients.Measure(model, rows, 1e-3, zip);
        ScoreGradients.Measured differences = ScoreGradients.FiniteDifferences(model, rows, 1e-3, zip);

        Assert.True(exact.Exact);
        Assert.False(differences.Exact);
        Assert.Equal(cliMean, exact.Norms.Mean, 6);
        // Tolerance: the step is h = 1e-3 x each feature's range (1), so truncation (h^2/6 |f'''|, ~1e-7) is negligible;
        // the float Score (|S| <= ~7) carries a rounding error d of a few ulps through the small network, d <= 10 x 6e-8 x 7
        // = 4.2e-6, so each central difference is off by at most d / h = 4.2e-3, and the norm over 3 features by at most
        // sqrt(3) x 4.2e-3 = 7.3e-3.
        Assert.True(Math.Abs(exact.Norms.Mean - differences.Norms.Mean) <= 7.3e-3,
            $"exact {exact.Norms.Mean}, finite differences {differences.Norms.Mean}");
        // The label is 3x + 2y + z: a fitted regressor's gradient is of that size in label units (not the standardized ~1/std).
        Assert.InRange(exact.Norms.Median, 1.5, 8);
    }

    [Fact]
    public void Measure_FastTreeRegressor_LabelledFiniteDifferences()
    {
        var context = new MLContext(seed: 1);
        (_, float[] features, int count) = Data(200);
        Row[] rows = Enumerable.Range(0, count).Select(i => new Row
        {
            Features = features.AsSpan(i * 3, 3).ToArray(),
            Label = 3 * features[i * 3] + 2 * features[i * 3 + 1] + features[i * 3 + 2],
        }).ToArray();
        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3);
        IDataView view = context.Data.LoadFromEnumerable(rows, schema);
        ITransformer model = context.Regression.Trainers.FastTree(numberOfLeaves: 4, numberOfTrees: 5, minimumExampleCountPerLeaf: 5).Fit(view);
        var dataset = new LabeledDataset(features, new int[count], 3, ["all", "-"]);

        ScoreGradients.Measured measured = ScoreGradients.Measure(model, dataset, 1e-3, "fasttree.zip");

        Assert.False(measured.Exact);
        Assert.Equal($"finite differences of Score, step relative to each feature's range (central, 0.001 x the range over {count} rows)", measured.Method);
        Assert.Equal(count, measured.Norms.Count);
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
