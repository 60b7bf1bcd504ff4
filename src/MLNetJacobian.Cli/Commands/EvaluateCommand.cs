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
        if (task != LearningTask.Multiclass) return EvaluateOneOutput(ml, savedModel, savedSchema, data, part, split, task, settings);
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

    /// <summary>
    /// A binary classifier's or regressor's metrics on the part (BinaryClassification/Regression.Evaluate) and its
    /// robustness (BinaryClassification/Regression.EvaluateRobustness on the Features column, after the model's one-hot
    /// encoding): tables, the metrics JSON, the robustness report JSON and, for a binary classifier, its plot.
    /// </summary>
    private int EvaluateOneOutput(MLContext ml, ITransformer model, DataViewSchema savedSchema, LoadedData data, IDataView part, DataSplit split, LearningTask task,
        EvaluateSettings settings)
    {
        OutputPaths.EnsureDistinct(("--model", settings.ModelPath!), ("--metrics", settings.MetricsOrDefault), ("--report", settings.ReportOrDefault));
        OutputFiles.EnsureCanWrite(settings.MetricsOrDefault, settings.Force, "--metrics");
        ModelFile.WarnAboutData(console, settings.ModelPath!, data, settings, split);
        TaskMetrics metrics = TaskMetrics.Measure(ml, model, part, task);
        console.MarkupLine(Markup.Escape($"{Path.GetFileName(settings.ModelPath!)}: a {TaskMetrics.Describe(task)}, measured on {metrics.Rows} rows ({split})."));
        var table = new Table().RoundedBorder();
        table.AddColumns("metric", "value");
        foreach ((string name, double value) in metrics.Values) table.AddRow(Markup.Escape(name), TaskMetrics.Format(name, value));
        console.Write(table);

        ITransformer attackable = OneOutputRobustness.AttackableModel(model, savedSchema, settings.ModelPath!);
        console.MarkupLine(Markup.Escape("Attacks: " + OneOutputRobustness.Describe(settings, OneOutputRobustness.PerturbedSlots(part.Schema, settings.Perturb, data.NumericFeatureNames), data.FeatureCount) + "."));
        OneOutputRobustness.Result robustness = OneOutputRobustness.Evaluate(ml, attackable, Path.GetFileNameWithoutExtension(settings.ModelPath!), data, part, settings, settings, console);
        console.WriteLine(robustness.ToString());
        var record = new Dictionary<string, object?>
        {
            ["model"] = Path.GetFullPath(settings.ModelPath!),
            ["task"] = task.ToString(),
            ["data"] = data.Description,
            ["split"] = split.ToString(),
            ["rows"] = metrics.Rows,
            ["metrics"] = metrics.Record,
        };
        OutputFiles.WriteText(settings.MetricsOrDefault, settings.Force, "--metrics", System.Text.Json.JsonSerializer.Serialize(record, ReportJson));
        OneOutputRobustness.Save(robustness, settings.ReportOrDefault, settings.PlotOrDefault, settings.Force);
        console.MarkupLine($"Wrote [green]{Markup.Escape(Path.GetFullPath(settings.MetricsOrDefault))}[/]");
        console.MarkupLine($"Wrote [green]{Markup.Escape(Path.GetFullPath(settings.ReportOrDefault))}[/]");
        if (robustness.Binary is not null) console.MarkupLine($"Wrote [green]{Markup.Escape(Path.GetFullPath(settings.PlotOrDefault))}[/]");
        return (int)ExitCode.Success;
    }

    private static readonly System.Text.Json.JsonSerializerOptions ReportJson = new() { WriteIndented = true };
}
