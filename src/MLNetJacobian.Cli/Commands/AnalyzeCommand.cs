using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Analysis;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Cli.Output;
using MLNetJacobian.Data;
using MLNetJacobian.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Commands;

/// <summary>
/// <c>analyze</c>: Jacobian statistics, distances to the decision boundary and decision-cell maps for one or more
/// saved models on the same data and the same planes.
/// </summary>
internal sealed class AnalyzeCommand(IAnsiConsole console) : Command<AnalyzeSettings>
{
    public override int Execute(CommandContext context, AnalyzeSettings settings, CancellationToken cancellationToken)
    {
        foreach (string path in settings.Models) ModelFile.EnsureExists(path, "--model");
        var ml = new MLContext(seed: settings.Seed);
        int[] examples = settings.ExampleRows();
        ComparisonFiles.EnsureCanWrite(settings.Output, examples, settings.Force);
        (ITransformer firstModel, DataViewSchema firstSchema) = ModelFile.Load(ml, settings.Models[0], "--model");
        LearningTask task = ModelFile.TaskOf(firstModel, firstSchema, settings.Models[0], "--model");
        if (settings.Task is LearningTask given && given != task)
        {
            throw CliException.InvalidArgument($"--task {given.ToString().ToLowerInvariant()}, but --model '{settings.Models[0]}' is a {TaskMetrics.Describe(task)}; drop --task (analyze takes the model's).");
        }

        if (task != LearningTask.Multiclass) return OneOutputGradients.Run(ml, console, settings, task);
        LoadedData data = DatasetLoader.Load(ml, settings);
        DataConsole.Write(console, data);
        var models = new List<(string Name, IModel Model)>();
        IReadOnlyList<string>? classNames = null;
        LabeledDataset? rows = null;
        (IDataView part, _) = data.Part(settings.Split);
        for (int i = 0; i < settings.Models.Length; i++)
        {
            string path = settings.Models[i];
            string name = settings.Names.Length > 0 ? settings.Names[i] : Path.GetFileNameWithoutExtension(path);
            ITransformer model = ModelFile.LoadMulticlass(ml, path, "--model", part.Schema);
            ModelFile.WarnAboutData(console, path, data, settings, settings.Split);
            if (rows is null)
            {
                classNames = LabelKeys.ClassNames(model, part.Schema);
                int needed = Math.Max(Math.Max(settings.StatisticsRows, settings.BoundaryRows), examples.Length > 0 ? examples.Max() + 1 : 0);
                IDataView aligned = LabelKeys.AlignWithScores(ml, model, part);
                // A model that maps the label itself leaves the data's label raw: the key is read from the model's output.
                rows = Guard.Data(() => LabeledDataset.FromDataView(aligned, classNames, needed, labelMapper: model));
            }

            models.Add(ModelAnalysis.FromZip(name, path, model, part.Schema, rows!, settings.FiniteDifferenceStep, out string jacobians));
            console.MarkupLine($"Jacobians of {Markup.Escape(name)}: {Markup.Escape(jacobians)}.");
        }

        ModelComparisonReport report = ModelAnalysis.Run(console, models, rows!, examples, settings, data.Image, settings.Output);
        console.Write(ComparisonTable.Build(report, "Jacobian analysis"));
        foreach (string file in ComparisonFiles.Written(settings.Output, report)) console.MarkupLine($"Wrote [green]{Markup.Escape(file)}[/]");
        return (int)ExitCode.Success;
    }
}
