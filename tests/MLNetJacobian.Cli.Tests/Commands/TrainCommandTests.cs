using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary><c>train</c> end to end on small settings: the files it writes exist, parse and load.</summary>
public sealed class TrainCommandTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Train_EmbeddedDigits_WritesZipHistoryAndCurvesThatLoad()
    {
        using var folder = new TemporaryFolder();
        string model = folder.File("digits.zip");

        CliRun run = CliRun.Start("train", "--model", model, "--epochs", "2", "--hidden-layers", "32", "--max-rows", "400", "--batch-size", "32");

        Assert.True(run.ExitCode == 0, run.Output);
        var context = new MLContext(seed: 0);
        ITransformer loaded = context.Model.Load(model, out DataViewSchema inputSchema);
        Assert.NotNull(inputSchema.GetColumnOrNull("Features"));
        DataViewSchema output = loaded.GetOutputSchema(inputSchema);
        Assert.Equal(10, Assert.IsType<VectorDataViewType>(output["Score"].Type).Size);
        // The zip scores rows that hold only the features: the label's key mapping is not part of the saved model.
        IDataView featuresOnly = context.Data.LoadFromEnumerable([new FeaturesRow { Features = new float[64] }], FeaturesRow.Schema(64));
        float[] scores = context.Data.CreateEnumerable<ScoreRow>(loaded.Transform(featuresOnly), reuseRowObject: false).Single().Score;
        Assert.Equal(10, scores.Length);
        using JsonDocument history = JsonDocument.Parse(File.ReadAllText(folder.File("digits.history.json")));
        Assert.Equal(2, history.RootElement.GetProperty("epochs").GetArrayLength());
        Assert.Equal(0.1, history.RootElement.GetProperty("run").GetProperty("options").GetProperty("jacobianWeight").GetDouble());
        Assert.Equal(PngSignature, File.ReadAllBytes(folder.File("digits.curves.png")).Take(8));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
        Assert.Contains("Test accuracy", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_ExistingModelWithForce_Replaces()
    {
        using var folder = new TemporaryFolder();
        string model = folder.Write("m.zip", "old");

        CliRun run = CliRun.Start("train", "--model", model, "--force", "--epochs", "1", "--hidden-layers", "8", "--max-rows", "100");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.NotEqual("old", File.ReadAllText(model));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void Train_CsvWithTextLabelsByName_TrainsAndScoresTheFile()
    {
        using var folder = new TemporaryFolder();
        var text = new System.Text.StringBuilder("id,x,y,kind\n");
        var random = new Random(3);
        for (int i = 0; i < 120; i++)
        {
            double x = random.NextDouble();
            double y = random.NextDouble();
            text.Append(CultureInfo.InvariantCulture, $"{i},{x:F4},{y:F4},{(x > y ? "upper" : "lower")}\n");
        }

        string data = folder.Write("points.csv", text.ToString());
        string model = folder.File("points.zip");

        CliRun run = CliRun.Start("train", "--data", data, "--label", "kind", "--features", "x,y", "--model", model,
            "--hidden-layers", "16", "--epochs", "30", "--batch-size", "16", "--learning-rate", "0.1", "--lambda", "0.01");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("label 'kind' with 2 classes, 2 features in [0", run.Output, StringComparison.Ordinal);
        var context = new MLContext(seed: 0);
        ITransformer loaded = context.Model.Load(model, out _);
        IDataView rows = context.Data.LoadFromTextFile(data, [
            new TextLoader.Column("Label", DataKind.String, 3),
            new TextLoader.Column("Features", DataKind.Single, 1, 2),
        ], separatorChar: ',', hasHeader: true);
        string[] predicted = context.Data.CreateEnumerable<Prediction>(loaded.Transform(rows), reuseRowObject: false).Select(p => p.PredictedLabel).ToArray();
        string[] actual = context.Data.CreateEnumerable<LabelRow>(rows, reuseRowObject: false).Select(r => r.Label).ToArray();
        double accuracy = predicted.Zip(actual).Count(p => p.First == p.Second) / (double)actual.Length;
        // A separable problem (x > y) learned by 30 epochs of a 16-unit network: well above the 50% of guessing.
        Assert.True(accuracy > 0.8, $"accuracy {accuracy}");

        // evaluate maps the text labels to the model's classes through the Score column's slot names.
        CliRun evaluate = CliRun.Start("evaluate", "--model", model, "--data", data, "--label", "kind", "--features", "x,y",
            "--attacks", "Quick", "--bisection-steps", "0", "--no-sanity-checks");
        Assert.True(evaluate.ExitCode == 0, evaluate.Output);
        Assert.True(File.Exists(folder.File("points.robustness.json")));
    }

    private sealed class FeaturesRow
    {
        public float[] Features { get; set; } = [];

        public static SchemaDefinition Schema(int size)
        {
            SchemaDefinition schema = SchemaDefinition.Create(typeof(FeaturesRow));
            schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
            return schema;
        }
    }

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }

    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = "";
    }

    private sealed class LabelRow
    {
        public string Label { get; set; } = "";
    }
}
