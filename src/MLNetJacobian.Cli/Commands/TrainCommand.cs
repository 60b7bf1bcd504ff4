using System.Globalization;
using Microsoft.ML;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Cli.Output;
using MLNetJacobian.Trainers;
using MLNetJacobian.Training;
using Spectre.Console;
using Spectre.Console.Cli;
using MLNetJacobian.Plotting;

namespace MLNetJacobian.Cli.Commands;

/// <summary>
/// <c>train</c>: fits a Jacobian-regularized network and writes the ML.NET zip, the training history as JSON and the
/// learning curves as PNG.
/// </summary>
internal sealed class TrainCommand(IAnsiConsole console) : Command<TrainSettings>
{
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        string[] outputs = [settings.ModelPath, settings.HistoryOrDefault, settings.CurvesOrDefault];
        OutputPaths.EnsureDistinct(("--model", settings.ModelPath), ("--history", settings.HistoryOrDefault), ("--curves", settings.CurvesOrDefault));
        OutputFiles.EnsureCanWrite(settings.ModelPath, settings.Force, "--model");
        OutputFiles.EnsureCanWrite(settings.HistoryOrDefault, settings.Force, "--history");
        OutputFiles.EnsureCanWrite(settings.CurvesOrDefault, settings.Force, "--curves");

        var ml = new MLContext(seed: settings.Seed);
        LoadedData data = DatasetLoader.Load(ml, settings);
        DataConsole.Write(console, data);
        JacobianRegularizedOptions options = settings.OptionsFor(data.Task);
        options.CancellationToken = cancellationToken;
        string name = string.Create(CultureInfo.InvariantCulture, $"lambda {options.JacobianWeight}");
        InputNormalization normalization = settings.Normalization();
        string output = data.Task switch
        {
            LearningTask.Regression when options is JacobianRegularizedRegressionTrainer.Options { StandardizeLabel: true } => "Lambda acts on the gradient of the standardized prediction (y - mean) / std",
            LearningTask.Regression => "Lambda acts on the gradient of the prediction (label units)",
            LearningTask.Binary => "Lambda acts on the gradient of the logit",
            _ => "Lambda acts on the Jacobian",
        };
        string raw = data.Featurizer is null ? "features" : "columns (the one-hot encoding is its first step)";
        console.MarkupLine(Markup.Escape($"{output} w.r.t. {normalization.Space}; the saved model takes raw {raw}."));
        TrainedModel trained = JacobianPipeline.Train(ml, data, options, normalization, settings.ValidationFraction, settings.Seed, name, console);
        TrainingHistory history = trained.History!;
        console.Write(ConsoleTables.History(history, $"Training {trained.Architecture}, {name}", data.Task));
        double? testAccuracy = null;
        TaskMetrics? metrics = null;
        if (data.Task == LearningTask.Multiclass)
        {
            testAccuracy = ClassifierAccuracy.Measure(ml, trained.Model, data.Test);
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Test accuracy [bold]{ConsoleTables.Percent(testAccuracy.Value)}[/] on {data.TestCount} rows; trained in {ConsoleTables.Seconds(trained.TrainingTime!.Value)}."));
        }
        else
        {
            metrics = TaskMetrics.Measure(ml, trained.Model, data.Test, data.Task);
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Test {Markup.Escape(metrics.ToString())} on {data.TestCount} rows; trained in {ConsoleTables.Seconds(trained.TrainingTime!.Value)}."));
        }

        OutputFiles.WriteAtomically(settings.ModelPath, settings.Force, "--model", stream => TrainingRunRecord.Of(data, settings).SaveWith(ml, trained.SavedModel, trained.InputSchema, stream));
        var run = new Dictionary<string, object?>
        {
            ["data"] = data.Description,
            ["task"] = data.Task.ToString(),
            ["architecture"] = trained.Architecture!.ToString(),
            ["classes"] = trained.Network?.ClassNames,
            ["options"] = TrainerOptionsRecord.Of(options),
            ["normalization"] = normalization.Record,
            ["testAccuracy"] = testAccuracy,
            ["testMetrics"] = metrics?.Record,
            ["testRows"] = data.TestCount,
            ["trainingSeconds"] = trained.TrainingTime.Value.TotalSeconds,
            ["model"] = Path.GetFullPath(settings.ModelPath),
        };
        OutputFiles.WriteText(settings.HistoryOrDefault, settings.Force, "--history", TrainingHistoryFile.ToJson(history, run));
        OutputFiles.WriteBytes(settings.CurvesOrDefault, settings.Force, "--curves", LearningCurvePlot.ToPng([(name, history)]));
        foreach (string path in outputs) console.MarkupLine($"Wrote [green]{Markup.Escape(Path.GetFullPath(path))}[/]");
        return (int)ExitCode.Success;
    }
}
