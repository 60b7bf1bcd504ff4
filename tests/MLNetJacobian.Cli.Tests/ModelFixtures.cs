using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Cli.Tests;

/// <summary>Small model zips for the tests, trained once per test run.</summary>
internal static class ModelFixtures
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        string folder = Path.Combine(Path.GetTempPath(), "mlnet-jacobian-cli-fixtures-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        };
        return folder;
    });

    private static readonly Lazy<string> SmallNetworkZip = new(() =>
    {
        string path = Path.Combine(Folder.Value, "small.zip");
        if (!File.Exists(path))
        {
            CliRun run = CliRun.Start("train", "--model", path, "--epochs", "2", "--hidden-layers", "16", "--max-rows", "300", "--batch-size", "32");
            Assert.True(run.ExitCode == 0, run.Output);
        }

        return path;
    });

    private static readonly Lazy<string> RegressionZip = new(() =>
    {
        string path = Path.Combine(Folder.Value, "regression.zip");
        var context = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 50).Select(i => new Row { Label = i % 10, Features = Enumerable.Range(0, 64).Select(j => (float)((i + j) % 17) / 16).ToArray() });
        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 64);
        IDataView data = context.Data.LoadFromEnumerable(rows, schema);
        ITransformer model = context.Regression.Trainers.Sdca(maximumNumberOfIterations: 2).Fit(data);
        context.Model.Save(model, data.Schema, path);
        return path;
    });

    private static readonly Lazy<string> UserPipelineZip = new(() =>
    {
        string path = Path.Combine(Folder.Value, "user-pipeline.zip");
        var context = new MLContext(seed: 1);
        var digits = MLNetJacobian.Data.DigitsDataset.Load(scaleToUnitInterval: true);
        var rows = Enumerable.Range(0, 400).Select(i => new Row { Label = digits.Labels[i], Features = digits.Row(i).ToArray() });
        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 64);
        IDataView data = context.Data.LoadFromEnumerable(rows, schema);
        var pipeline = context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.Transforms.NormalizeMinMax("Features"))
            .Append(context.MulticlassClassification.Trainers.LbfgsMaximumEntropy())
            .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        context.Model.Save(pipeline.Fit(data), data.Schema, path);
        return path;
    });

    /// <summary>
    /// A user's own ML.NET pipeline on digits, saved as ML.NET users do: MapValueToKey(Label) -> NormalizeMinMax ->
    /// LbfgsMaximumEntropy -> MapKeyToValue. The label mapping is inside the model.
    /// </summary>
    public static string UserPipeline => UserPipelineZip.Value;

    /// <summary>A Jacobian-regularized network trained by the tool on 300 digits (64 features, 10 classes).</summary>
    public static string SmallNetwork => SmallNetworkZip.Value;

    /// <summary>An ML.NET SDCA regression model on 64 features: not a multiclass classifier.</summary>
    public static string Regression => RegressionZip.Value;

    private sealed class Row
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
