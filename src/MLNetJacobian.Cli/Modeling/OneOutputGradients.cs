using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Analysis;
using MLNetJacobian.Cli.Commands;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Cli.Output;
using MLNetJacobian.Data;
using MLNetJacobian.Models;
using Spectre.Console;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>
/// <c>analyze</c> for binary classifiers and regressors: the distribution of the gradient norm <c>||df/dx||</c> of the
/// Score (the logit, or the prediction in label units) over the analyzed rows: exact for this library's networks,
/// by central differences with a step relative to each feature's range for other models (<see cref="ScoreGradients"/>). Decision-cell maps and boundary distances are drawn between classes, so they
/// stay with multiclass models.
/// </summary>
internal static class OneOutputGradients
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Analyzes every <c>--model</c> (all of <paramref name="task"/>) on the data, writes <c>gradients.json</c> into <c>--output</c>.</summary>
    public static int Run(MLContext context, IAnsiConsole console, AnalyzeSettings settings, LearningTask task)
    {
        string source = $"--model '{settings.Models[0]}' (a {TaskMetrics.Describe(task)})";
        LoadedData data = DatasetLoader.Load(context, settings, task, source);
        DataConsole.Write(console, data);
        string path = Path.Combine(settings.Output, "gradients.json");
        if (File.Exists(settings.Output)) throw CliException.InvalidArgument($"--output '{settings.Output}' is a file; give a folder.");
        OutputFiles.EnsureCanWrite(path, settings.Force, "--output");
        console.MarkupLine(Markup.Escape($"A {TaskMetrics.Describe(task)}: analyze measures the gradient of its Score; decision-cell maps and boundary distances are drawn between classes, for multiclass models (--examples is not used)."));
        (IDataView part, _) = data.Part(settings.Split);
        LabeledDataset rows = Read(context, part, data.FeatureCount, settings.StatisticsRows);
        var table = new Table().Title(Markup.Escape($"Gradient norm ||dScore/dx|| over {rows.Count} rows ({settings.Split}), all {data.FeatureCount} features")).RoundedBorder();
        table.AddColumns("model", "mean", "median", "p95", "max", "how");
        var records = new List<Dictionary<string, object?>>();
        for (int i = 0; i < settings.Models.Length; i++)
        {
            string modelPath = settings.Models[i];
            string name = settings.Names.Length > 0 ? settings.Names[i] : Path.GetFileNameWithoutExtension(modelPath);
            (ITransformer model, DataViewSchema schema) = ModelFile.Load(context, modelPath, "--model");
            LearningTask modelTask = ModelFile.TaskOf(model, schema, modelPath, "--model");
            if (modelTask != task)
            {
                throw CliException.InvalidModel($"--model '{modelPath}' is a {TaskMetrics.Describe(modelTask)}; '{settings.Models[0]}' is a {TaskMetrics.Describe(task)}; analyzed models must share their task.");
            }

            ModelFile.WarnAboutData(console, modelPath, data, settings, settings.Split);
            ITransformer onFeatures = OneOutputRobustness.AttackableModel(model, schema, modelPath);
            ScoreGradients.Measured measured = ScoreGradients.Measure(onFeatures, rows, settings.FiniteDifferenceStep, modelPath);
            DistributionSummary norms = measured.Norms;
            table.AddRow(Markup.Escape(name), Number(norms.Mean), Number(norms.Median), Number(norms.Percentile95), Number(norms.Maximum), Markup.Escape(measured.Method));
            records.Add(new Dictionary<string, object?> { ["name"] = name, ["model"] = Path.GetFullPath(modelPath), ["gradientNorm"] = norms, ["method"] = measured.Method, ["exact"] = measured.Exact });
        }

        console.Write(table);
        var summary = new Dictionary<string, object?>
        {
            ["task"] = task.ToString(),
            ["data"] = data.Description,
            ["split"] = settings.Split.ToString(),
            ["rows"] = rows.Count,
            ["quantity"] = (task == LearningTask.Regression ? "||d prediction / dx||, the prediction in the label's units (a network's label standardization undone) per raw feature unit" : "||d logit / dx|| per raw feature unit") + $", over all {data.FeatureCount} features (one-hot slots included)",
            ["models"] = records,
        };
        OutputFiles.WriteText(path, settings.Force, "--output", JsonSerializer.Serialize(summary, Json));
        console.MarkupLine($"Wrote [green]{Markup.Escape(Path.GetFullPath(path))}[/]");
        return (int)ExitCode.Success;
    }

    /// <summary>The feature vectors of the first <paramref name="count"/> rows (labels unused: one group).</summary>
    internal static LabeledDataset Read(MLContext context, IDataView part, int featureCount, int count)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(FeatureRow), SchemaDefinition.Direction.Read);
        schema[LoadedData.FeatureColumnName].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        float[] features = context.Data.CreateEnumerable<FeatureRow>(part, reuseRowObject: false, schemaDefinition: schema)
            .Take(count).SelectMany(r => r.Features).ToArray();
        int rows = features.Length / featureCount;
        if (rows == 0) throw CliException.InvalidData("the analyzed part has no rows.");
        return new LabeledDataset(features, new int[rows], featureCount, ["all", "-"]);
    }

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }
}
