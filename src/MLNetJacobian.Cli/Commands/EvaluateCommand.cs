using System.Globalization;
using Microsoft.ML;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Cli.Output;
using MLNetJacobian.Robustness;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Commands;

/// <summary>
/// <c>evaluate</c>: loads any ML.NET multiclass model zip and data, runs the robustness evaluator, prints its table and
/// writes the JSON report and the accuracy-versus-epsilon plot.
/// </summary>
internal sealed class EvaluateCommand(IAnsiConsole console) : Command<EvaluateSettings>
{
    public override int Execute(CommandContext context, EvaluateSettings settings, CancellationToken cancellationToken)
    {
        ModelFile.EnsureExists(settings.ModelPath!, "--model");
        OutputPaths.EnsureDistinct(("--model", settings.ModelPath!), ("--report", settings.ReportOrDefault), ("--plot", settings.PlotOrDefault));
        OutputFiles.EnsureCanWrite(settings.ReportOrDefault, settings.Force, "--report");
        OutputFiles.EnsureCanWrite(settings.PlotOrDefault, settings.Force, "--plot");
        var ml = new MLContext(seed: settings.Seed);
        (ITransformer savedModel, DataViewSchema savedSchema) = ModelFile.Load(ml, settings.ModelPath!, "--model");
        LearningTask task = ModelFile.TaskOf(savedModel, savedSchema, settings.ModelPath!, "--model");
        string modelTask = $"--model '{settings.ModelPath}' (a {TaskMetrics.Describe(task)})";
        if (settings.Task is LearningTask given && given != task)
        {
            throw CliException.InvalidArgument($"--task {given.ToString().ToLowerInvariant()}, but {modelTask} is not a {TaskMetrics.Describe(given)}; drop --task (evaluate takes the model's).");
        }

        LoadedData data = DatasetLoader.Load(ml, settings, task, modelTask);
        DataConsole.Write(console, data);
        DataSplit split = settings.Split;
        bool splitGiven = context.Arguments.Any(argument => argument == "--split" || argument.StartsWith("--split=", StringComparison.Ordinal));
        TrainingRunRecord? record = TrainingRunRecord.TryRead(settings.ModelPath!);
        if (!splitGiven && data.SplitMade && settings.DataPath is not null && record?.DataFingerprint != data.Fingerprint)
        {
            // A file the model was not trained on is all test rows: holding part of it out would only discard rows.
            split = DataSplit.All;
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Evaluating all {data.TrainCount + data.TestCount} rows of {Markup.Escape(settings.DataPath)}: the model was not trained on this file (--split Test evaluates the held-out part only)."));
        }

        (IDataView part, _) = data.Part(split);
        if (task != LearningTask.Multiclass) return EvaluateOneOutput(ml, savedModel, data, part, split, task, settings);
        ITransformer model = ModelFile.LoadMulticlass(ml, settings.ModelPath!, "--model", part.Schema);
        ModelFile.WarnAboutData(console, settings.ModelPath!, data, settings, split);
        IReadOnlyList<string> classes = LabelKeys.ClassNames(model, part.Schema);
        IDataView aligned = LabelKeys.AlignWithScores(ml, model, part);
        RobustnessOptions options = RobustnessRuns.OptionsFor(settings, data, classes.Count);
        var trained = new TrainedModel(Path.GetFileNameWithoutExtension(settings.ModelPath!), model, part.Schema, null, null);
        RobustnessReport report = RobustnessRuns.Evaluate(ml, trained, aligned, options, console);
        console.WriteLine(report.ToString());
        IReadOnlyList<NoisePoint> noise = NoiseDraws.Measure(ml, trained, aligned, settings, options, report);
        if (noise.Count > 0) console.Write(NoiseDraws.Table(noise, "Gaussian noise: one draw (the usual figure) and worst of K"));
        ReportFileWriter.Save(report, settings.ReportOrDefault, settings.PlotOrDefault, settings.Force);
        console.MarkupLine($"Wrote [green]{Markup.Escape(Path.GetFullPath(settings.ReportOrDefault))}[/]");
        console.MarkupLine($"Wrote [green]{Markup.Escape(Path.GetFullPath(settings.PlotOrDefault))}[/]");
        return (int)ExitCode.Success;
    }

    /// <summary>A binary classifier's or regressor's metrics on the part (BinaryClassification/Regression.Evaluate), as a table and a JSON report.</summary>
    private int EvaluateOneOutput(MLContext ml, ITransformer model, LoadedData data, IDataView part, DataSplit split, LearningTask task, EvaluateSettings settings)
    {
        ModelFile.WarnAboutData(console, settings.ModelPath!, data, settings, split);
        TaskMetrics metrics = TaskMetrics.Measure(ml, model, part, task);
        console.MarkupLine(Markup.Escape($"{Path.GetFileName(settings.ModelPath!)}: a {TaskMetrics.Describe(task)}, measured on {metrics.Rows} rows ({split})."));
        var table = new Table().RoundedBorder();
        table.AddColumns("metric", "value");
        foreach ((string name, double value) in metrics.Values) table.AddRow(Markup.Escape(name), TaskMetrics.Format(name, value));
        console.Write(table);
        var report = new Dictionary<string, object?>
        {
            ["model"] = Path.GetFullPath(settings.ModelPath!),
            ["task"] = task.ToString(),
            ["data"] = data.Description,
            ["split"] = split.ToString(),
            ["rows"] = metrics.Rows,
            ["metrics"] = metrics.Record,
        };
        OutputFiles.WriteText(settings.ReportOrDefault, settings.Force, "--report", System.Text.Json.JsonSerializer.Serialize(report, ReportJson));
        console.MarkupLine($"Wrote [green]{Markup.Escape(Path.GetFullPath(settings.ReportOrDefault))}[/]");
        return (int)ExitCode.Success;
    }

    private static readonly System.Text.Json.JsonSerializerOptions ReportJson = new() { WriteIndented = true };
}
