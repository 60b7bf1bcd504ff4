using Microsoft.ML;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Cli.Output;
using MLNetJacobian.Data;
using MLNetJacobian.Robustness;
using Spectre.Console;
using Spectre.Console.Cli;
using MLNetJacobian.Plotting;

namespace MLNetJacobian.Cli.Commands;

/// <summary>
/// <c>compare</c>: trains (or loads) several models on the same data, attacks each with the same suite, and prints
/// one side-by-side table (clean and robust accuracy, mean <c>||J||_F</c>, training time) with one plot.
/// </summary>
internal sealed class CompareCommand(IAnsiConsole console) : Command<CompareSettings>
{
    public override int Execute(CommandContext context, CompareSettings settings, CancellationToken cancellationToken)
    {
        if (context.Arguments.Any(argument => argument == "--lambda" || argument.StartsWith("--lambda=", StringComparison.Ordinal)))
        {
            throw CliException.InvalidArgument("--lambda does nothing in compare, which trains one model per value of --lambdas; give --lambdas instead (e.g. --lambdas 0.5).");
        }

        foreach (string path in settings.Models) ModelFile.EnsureExists(path, "--model");
        string folder = settings.Output;
        if (File.Exists(folder)) throw CliException.InvalidArgument($"--output '{folder}' is a file; give a folder.");
        string summaryPath = Path.Combine(folder, "compare.json"), plotPath = Path.Combine(folder, "compare.png");
        OutputFiles.EnsureCanWrite(summaryPath, settings.Force, "--output");
        OutputFiles.EnsureCanWrite(plotPath, settings.Force, "--output");

        var ml = new MLContext(seed: settings.Seed);
        LoadedData data = DatasetLoader.Load(ml, settings);
        DataConsole.Write(console, data);
        (IDataView part, _) = data.Part(settings.Split);
        var models = new List<TrainedModel>();
        foreach (string path in settings.Models)
        {
            ITransformer loaded = ModelFile.LoadMulticlass(ml, path, "--model", part.Schema);
            ModelFile.WarnAboutData(console, path, data, settings, settings.Split);
            models.Add(new TrainedModel(Path.GetFileNameWithoutExtension(path), loaded, part.Schema, null, null));
        }

        foreach (double lambda in settings.LambdaValues())
        {
            var options = settings.ToTrainerOptions(lambda);
            options.CancellationToken = cancellationToken;
            models.Add(JacobianPipeline.Train(ml, data, options, settings.ValidationFraction, settings.Seed, CompareSettings.NameOf(lambda), console));
        }

        foreach (BaselineTrainer baseline in settings.BaselineTrainers())
        {
            models.Add(BaselinePipeline.Train(ml, data, baseline, settings.Threads ?? Environment.ProcessorCount, console));
        }

        TrainingRunRecord record = TrainingRunRecord.Of(data, settings);
        IReadOnlyList<string> classes = LabelKeys.ClassNames(models[0].Model, part.Schema);
        var written = new List<string>();
        var evaluations = new List<ModelEvaluation>();
        LabeledDataset? rows = null;
        foreach (TrainedModel model in models)
        {
            IReadOnlyList<string> modelClasses = LabelKeys.ClassNames(model.Model, part.Schema);
            if (!modelClasses.SequenceEqual(classes))
            {
                throw CliException.InvalidModel($"'{model.Name}' has the classes [{string.Join(", ", modelClasses)}]; '{models[0].Name}' has [{string.Join(", ", classes)}]; compared models must share their classes.");
            }

            IDataView aligned = LabelKeys.AlignWithScores(ml, model.Model, part);
            rows ??= DataViewRows.Read(aligned, data.FeatureCount, classes, settings.JacobianRows);
            RobustnessReport report = RobustnessRuns.Evaluate(ml, model, aligned, RobustnessRuns.OptionsFor(settings, data, classes.Count), console);
            (double norm, string kind) = JacobianNorms.Measure(model, rows, settings.JacobianRows, settings.FiniteDifferenceStep);
            evaluations.Add(new ModelEvaluation(model, report, norm, kind));
            string stem = Path.Combine(folder, "robustness-" + FileStem(model.Name));
            ReportFileWriter.Save(report, stem + ".json", stem + ".png", settings.Force);
            written.Add(stem + ".json");
            written.Add(stem + ".png");
            if (settings.SaveModels && model.TrainingTime is not null)
            {
                string zip = Path.Combine(folder, "model-" + FileStem(model.Name) + ".zip");
                OutputFiles.WriteAtomically(zip, settings.Force, "--output", stream => record.SaveWith(ml, model.Model, model.InputSchema, stream));
                written.Add(zip);
            }
        }

        OutputFiles.WriteText(summaryPath, settings.Force, "--output", SummaryJson.ToJson(data.Description, evaluations, null));
        OutputFiles.WriteBytes(plotPath, settings.Force, "--output", RobustnessComparisonPlot.ToPng(evaluations.Select(e => (e.Model.Name, e.Robustness)).ToList()));
        written.Insert(0, plotPath);
        written.Insert(0, summaryPath);
        console.Write(SummaryTable.Build(evaluations, settings.HeadlineEpsilon, 0.3, "Side by side"));
        foreach (string file in written) console.MarkupLine($"Wrote [green]{Markup.Escape(Path.GetFullPath(file))}[/]");
        return (int)ExitCode.Success;
    }

    /// <summary>A model name as a file-name part: letters, digits, dots and dashes.</summary>
    private static string FileStem(string name) =>
        new(name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' ? c : '-').ToArray());
}
