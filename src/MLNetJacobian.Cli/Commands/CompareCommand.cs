using System.Globalization;
using Microsoft.ML;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Cli.Output;
using MLNetJacobian.Data;
using MLNetJacobian.Robustness;
using MLNetJacobian.Trainers;
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
        if (data.Task != LearningTask.Multiclass) return CompareOneOutput(ml, settings, data, part, summaryPath, cancellationToken);
        if (settings.LambdaValues().Length > 0)
        {
            console.MarkupLine(Markup.Escape($"Lambda acts on the Jacobian w.r.t. {settings.Normalization().Space}; attacks perturb the raw features."));
        }

        var models = new List<TrainedModel>();
        foreach (string path in settings.Models)
        {
            ITransformer loaded = ModelFile.LoadMulticlass(ml, path, "--model", part.Schema);
            ModelFile.WarnAboutData(console, path, data, settings, settings.Split);
            models.Add(new TrainedModel(Path.GetFileNameWithoutExtension(path), loaded, part.Schema, null, null));
        }

        foreach (double lambda in settings.LambdaValues())
        {
            var options = (JacobianRegularizedTrainer.Options)settings.OptionsFor(LearningTask.Multiclass, lambda);
            options.CancellationToken = cancellationToken;
            models.Add(JacobianPipeline.Train(ml, data, options, settings.Normalization(), settings.ValidationFraction, settings.Seed, CompareSettings.NameOf(lambda), console));
        }

        foreach (BaselineTrainer baseline in settings.BaselineTrainers(LearningTask.Multiclass))
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
            rows ??= Guard.Data(() => LabeledDataset.FromDataView(aligned, classes, settings.JacobianRows));
            RobustnessOptions options = RobustnessRuns.OptionsFor(settings, data, classes.Count);
            RobustnessReport report = RobustnessRuns.Evaluate(ml, model, aligned, options, console);
            IReadOnlyList<NoisePoint> noise = NoiseDraws.Measure(ml, model, aligned, settings, options, report);
            (double norm, string kind) = JacobianNorms.Measure(model, rows, settings.JacobianRows, settings.FiniteDifferenceStep);
            evaluations.Add(new ModelEvaluation(model, report, norm, kind, noise));
            string stem = Path.Combine(folder, "robustness-" + FileStem(model.Name));
            ReportFileWriter.Save(report, stem + ".json", stem + ".png", settings.Force);
            written.Add(stem + ".json");
            written.Add(stem + ".png");
            if (settings.SaveModels && model.TrainingTime is not null)
            {
                string zip = Path.Combine(folder, "model-" + FileStem(model.Name) + ".zip");
                OutputFiles.WriteAtomically(zip, settings.Force, "--output", stream => record.SaveWith(ml, model.SavedModel, model.InputSchema, stream));
                written.Add(zip);
            }
        }

        IReadOnlyList<SeedSpread> spreads = settings.TrainingSeeds > 1 ? OverSeeds(ml, settings, data, part, classes.Count, evaluations, cancellationToken) : [];
        OutputFiles.WriteText(summaryPath, settings.Force, "--output", SummaryJson.ToJson(data.Description, evaluations, null, spreads));
        OutputFiles.WriteBytes(plotPath, settings.Force, "--output", RobustnessComparisonPlot.ToPng(evaluations.Select(e => (e.Model.Name, e.Robustness)).ToList()));
        written.Insert(0, plotPath);
        written.Insert(0, summaryPath);
        console.Write(SummaryTable.Build(evaluations, settings.HeadlineEpsilon, settings.HeadlineSigma, "Side by side"));
        if (spreads.Count > 0)
        {
            console.Write(NoiseDraws.SeedTable(spreads, settings.HeadlineSigma, settings.NoiseDraws));
        }
        else if (settings.LambdaValues().Length > 1 && evaluations.Any(e => e.Noise is { Count: > 0 }))
        {
            console.MarkupLine(Markup.Escape("One training seed per network: noise robustness varies between seeds (several points at large sigma); --training-seeds N reports it over N seeds."));
        }

        foreach (string file in written) console.MarkupLine($"Wrote [green]{Markup.Escape(Path.GetFullPath(file))}[/]");
        return (int)ExitCode.Success;
    }

    /// <summary>
    /// Each lambda's network again with N - 1 more training seeds (the split and the attacked rows stay): its clean and
    /// one-draw noise accuracy at the headline sigma per seed, the first seed's from the main run.
    /// </summary>
    private IReadOnlyList<SeedSpread> OverSeeds(MLContext ml, CompareSettings settings, LoadedData data, IDataView part, int classCount,
        IReadOnlyList<ModelEvaluation> evaluations, CancellationToken cancellationToken)
    {
        var spreads = new List<SeedSpread>();
        RobustnessOptions options = RobustnessRuns.OptionsFor(settings, data, classCount);
        foreach (double lambda in settings.LambdaValues())
        {
            string name = CompareSettings.NameOf(lambda);
            ModelEvaluation first = evaluations.First(e => e.Model.Name == name);
            int firstSeed = settings.ToTrainerOptions(lambda).Seed ?? settings.Seed;
            var seeds = new List<int> { firstSeed };
            var clean = new List<double>();
            var noise = new List<double>();
            (double firstClean, double firstNoise, _) = NoiseDraws.CleanAndOneDraw(ml, first.Model, LabelKeys.AlignWithScores(ml, first.Model.Model, part), settings, options, settings.HeadlineSigma);
            clean.Add(firstClean);
            noise.Add(firstNoise);
            for (int r = 1; r < settings.TrainingSeeds; r++)
            {
                JacobianRegularizedTrainer.Options trainer = settings.ToTrainerOptions(lambda);
                trainer.Seed = firstSeed + r;
                trainer.CancellationToken = cancellationToken;
                TrainedModel model = JacobianPipeline.Train(ml, data, trainer, settings.Normalization(), settings.ValidationFraction, settings.Seed,
                    $"{name}, seed {trainer.Seed}", console);
                (double c, double n, _) = NoiseDraws.CleanAndOneDraw(ml, model, LabelKeys.AlignWithScores(ml, model.Model, part), settings, options, settings.HeadlineSigma);
                seeds.Add(trainer.Seed.Value);
                clean.Add(c);
                noise.Add(n);
            }

            spreads.Add(new SeedSpread(name, seeds, clean, noise));
        }

        return spreads;
    }

    /// <summary>
    /// Binary classifiers or regressors side by side: each lambda's network, the task's ML.NET baselines and given zips,
    /// with their metrics on the same rows (BinaryClassification/Regression.Evaluate) and their training time.
    /// </summary>
    private int CompareOneOutput(MLContext ml, CompareSettings settings, LoadedData data, IDataView part, string summaryPath, CancellationToken cancellationToken)
    {
        LearningTask task = data.Task;
        if (settings.TrainingSeeds > 1) throw CliException.InvalidArgument($"--training-seeds {settings.TrainingSeeds} applies to multiclass networks (their noise accuracy); this is a {task.ToString().ToLowerInvariant()} task.");
        IReadOnlyList<BaselineTrainer> baselines = settings.BaselineTrainers(task);
        var models = new List<TrainedModel>();
        foreach (string path in settings.Models)
        {
            (ITransformer loaded, DataViewSchema schema) = ModelFile.Load(ml, path, "--model");
            LearningTask modelTask = ModelFile.TaskOf(loaded, schema, path, "--model");
            if (modelTask != task)
            {
                throw CliException.InvalidModel($"--model '{path}' is a {TaskMetrics.Describe(modelTask)}, but the data's task is {task.ToString().ToLowerInvariant()} (a {TaskMetrics.Describe(task)} is needed).");
            }

            ModelFile.WarnAboutData(console, path, data, settings, settings.Split);
            models.Add(new TrainedModel(Path.GetFileNameWithoutExtension(path), loaded, schema, null, null));
        }

        if (settings.LambdaValues().Length > 0)
        {
            console.MarkupLine(Markup.Escape($"Lambda acts on the gradient of the {(task == LearningTask.Binary ? "logit" : "prediction")} w.r.t. {settings.Normalization().Space}."));
        }

        foreach (double lambda in settings.LambdaValues())
        {
            JacobianRegularizedOptions options = settings.OptionsFor(task, lambda);
            options.CancellationToken = cancellationToken;
            models.Add(JacobianPipeline.Train(ml, data, options, settings.Normalization(), settings.ValidationFraction, settings.Seed, CompareSettings.NameOf(lambda), console));
        }

        foreach (BaselineTrainer baseline in baselines)
        {
            models.Add(BaselinePipeline.Train(ml, data, baseline, settings.Threads ?? Environment.ProcessorCount, console));
        }

        TrainingRunRecord record = TrainingRunRecord.Of(data, settings);
        var written = new List<string> { summaryPath };
        var rows = new List<Dictionary<string, object?>>();
        console.MarkupLine(Markup.Escape("Attacks: " + OneOutputRobustness.Describe(settings, OneOutputRobustness.PerturbedSlots(part.Schema, settings.Perturb, data.NumericFeatureNames), data.FeatureCount) + "."));
        string headline = task == LearningTask.Binary ? $"worst L-inf {settings.HeadlineEpsilon.ToString(CultureInfo.InvariantCulture)}" : $"worst RMSE, L-inf {settings.HeadlineEpsilon.ToString(CultureInfo.InvariantCulture)}";
        LabeledDataset gradientRows = OneOutputGradients.Read(ml, part, data.FeatureCount, settings.JacobianRows);
        bool anyFiniteDifferences = false;
        var table = new Table().Title(Markup.Escape($"Side by side: {TaskMetrics.Describe(task)}s, {settings.Split} rows")).RoundedBorder();
        table.AddColumn("model");
        bool columnsAdded = false;
        foreach (TrainedModel model in models)
        {
            TaskMetrics metrics = TaskMetrics.Measure(ml, model.Model, part, task);
            if (!columnsAdded)
            {
                foreach ((string name, _) in metrics.Values) table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
                table.AddColumn(new TableColumn(Markup.Escape(headline)).RightAligned());
                table.AddColumn(new TableColumn(Markup.Escape("mean ||dScore/dx||")).RightAligned());
                table.AddColumn(new TableColumn("training").RightAligned());
                columnsAdded = true;
            }

            // A loaded zip rebuilds Features from the raw columns: attack the steps after its one-hot encoding.
            ITransformer attacked = model.TrainingTime is null ? OneOutputRobustness.AttackableModel(model.Model, model.InputSchema, model.Name) : model.Model;
            OneOutputRobustness.Result robustness = OneOutputRobustness.Evaluate(ml, attacked, model.Name, data, part, settings, settings, console);
            double worst = OneOutputRobustness.Headline(robustness, settings.HeadlineEpsilon);
            string stem = Path.Combine(settings.Output, "robustness-" + FileStem(model.Name));
            OneOutputRobustness.Save(robustness, stem + ".json", stem + ".png", settings.Force);
            written.Add(stem + ".json");
            if (robustness.Binary is not null) written.Add(stem + ".png");
            string shown = double.IsNaN(worst) ? "-" : task == LearningTask.Binary ? TaskMetrics.Format("accuracy", worst) : TaskMetrics.Format("RMSE", worst);
            // The Score's input gradient over the raw features: exact for white boxes, labelled finite differences for others.
            ScoreGradients.Measured gradient = ScoreGradients.Measure(attacked, gradientRows, settings.FiniteDifferenceStep, model.Name);
            anyFiniteDifferences |= !gradient.Exact;
            string gradientShown = gradient.Norms.Mean.ToString("G4", CultureInfo.InvariantCulture) + (gradient.Exact ? " exact" : " finite diff.");
            table.AddRow([Markup.Escape(model.Name), .. metrics.Values.Select(v => TaskMetrics.Format(v.Name, v.Value)), shown, Markup.Escape(gradientShown),
                model.TrainingTime is { } time ? ConsoleTables.Seconds(time) : "loaded"]);
            rows.Add(new Dictionary<string, object?>
            {
                ["name"] = model.Name,
                ["architecture"] = model.Architecture?.ToString(),
                ["metrics"] = metrics.Record,
                ["rows"] = metrics.Rows,
                [task == LearningTask.Binary ? "worstCaseRobustAccuracy" : "worstCaseRmse"] = double.IsNaN(worst) ? null : worst,
                ["headlineEpsilon"] = settings.HeadlineEpsilon,
                ["meanGradientNorm"] = gradient.Norms.Mean,
                ["gradientMethod"] = gradient.Method,
                ["gradientExact"] = gradient.Exact,
                ["robustnessReport"] = Path.GetFullPath(stem + ".json"),
                ["trainingSeconds"] = model.TrainingTime?.TotalSeconds,
            });
            if (settings.SaveModels && model.TrainingTime is not null)
            {
                string zip = Path.Combine(settings.Output, "model-" + FileStem(model.Name) + ".zip");
                OutputFiles.WriteAtomically(zip, settings.Force, "--output", stream => record.SaveWith(ml, model.SavedModel, model.InputSchema, stream));
                written.Add(zip);
            }
        }

        var summary = new Dictionary<string, object?> { ["data"] = data.Description, ["task"] = task.ToString(), ["split"] = settings.Split.ToString(), ["models"] = rows };
        OutputFiles.WriteText(summaryPath, settings.Force, "--output", System.Text.Json.JsonSerializer.Serialize(summary, new System.Text.Json.JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase }));
        console.Write(table);
        string quantity = task == LearningTask.Binary ? "the Score (a network's logit, a linear model's margin)" : "the prediction in the label's units";
        console.MarkupLine(Markup.Escape($"mean ||dScore/dx||: the gradient of {quantity} w.r.t. the raw features, mean over {gradientRows.Count} rows; exact through the weights of this library's networks and linear models" +
            (anyFiniteDifferences ? $"; finite diff.: {ScoreGradients.FiniteDifferenceMethod(settings.FiniteDifferenceStep, gradientRows.Count)} (a tree's Score is piecewise constant: there it measures the jumps within the step, not a derivative)." : ".")));
        foreach (string file in written) console.MarkupLine($"Wrote [green]{Markup.Escape(Path.GetFullPath(file))}[/]");
        return (int)ExitCode.Success;
    }

    /// <summary>A model name as a file-name part: letters, digits, dots and dashes.</summary>
    private static string FileStem(string name) =>
        new(name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' ? c : '-').ToArray());
}
