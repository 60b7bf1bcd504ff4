using System.Globalization;
using Microsoft.ML;
using MLNetJacobian.Analysis;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Cli.Output;
using MLNetJacobian.Data;
using MLNetJacobian.Models;
using MLNetJacobian.Robustness;
using MLNetJacobian.Trainers;
using Spectre.Console;
using Spectre.Console.Cli;
using MLNetJacobian.Plotting;

namespace MLNetJacobian.Cli.Commands;

/// <summary>
/// <c>demo</c>: with no argument, trains a network with and without the Jacobian penalty on the embedded digits,
/// attacks both (noise, FGSM, PGD), analyzes their Jacobians and decision cells, and writes the zips, reports and
/// pictures into a fresh folder.
/// </summary>
internal sealed class DemoCommand(IAnsiConsole console) : Command<DemoSettings>
{
    /// <summary>The headline attack strength of the summary table.</summary>
    private const double HeadlineEpsilon = 0.1;

    /// <summary>The headline noise scale of the summary table.</summary>
    private const double HeadlineSigma = 0.3;

    public override int Execute(CommandContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        string folder = DemoFolder.Prepare(settings.Output, settings.Force, out bool fresh);
        try
        {
            return Run(folder, settings, cancellationToken);
        }
        catch when (fresh)
        {
            // An interrupted or failed demo leaves no half-filled folder that would block the next run.
            DemoFolder.Remove(folder);
            throw;
        }
    }

    private int Run(string folder, DemoSettings settings, CancellationToken cancellationToken)
    {
        var ml = new MLContext(seed: settings.Seed);
        var dataSettings = new DataSettings { Seed = settings.Seed };
        LoadedData data = DatasetLoader.Load(ml, dataSettings);
        DataConsole.Write(console, data);
        console.MarkupLine($"Output: [green]{Markup.Escape(folder)}[/]");

        var files = new List<string>();
        var evaluations = new List<ModelEvaluation>();
        var trained = new List<TrainedModel>();
        foreach (double lambda in new[] { 0, settings.Lambda })
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"lambda {lambda}");
            string stem = string.Create(CultureInfo.InvariantCulture, $"lambda{lambda}");
            JacobianRegularizedTrainer.Options options = OptionsFor(settings, lambda, cancellationToken);
            TrainedModel model = JacobianPipeline.Train(ml, data, options, InputNormalization.None, null, settings.Seed, name, console);
            trained.Add(model);
            files.Add(Write(Path.Combine(folder, $"model-{stem}.zip"), settings.Force, stream => TrainingRunRecord.Of(data, dataSettings).SaveWith(ml, model.Model, model.InputSchema, stream)));
            var run = new Dictionary<string, object?> { ["data"] = data.Description, ["architecture"] = model.Network!.Architecture.ToString(), ["options"] = TrainerOptionsRecord.Of(options) };
            files.Add(WriteText(Path.Combine(folder, $"history-{stem}.json"), settings.Force, TrainingHistoryFile.ToJson(model.Network.TrainingHistory!, run)));
        }

        files.Add(WriteBytes(Path.Combine(folder, "learning-curves.png"), settings.Force,
            LearningCurvePlot.ToPng(trained.Select(t => (t.Name, t.Network!.TrainingHistory!)).ToList())));

        IDataView aligned = LabelKeys.AlignWithScores(ml, trained[0].Model, data.Test);
        IReadOnlyList<string> classes = LabelKeys.ClassNames(trained[0].Model, data.Test.Schema);
        LabeledDataset testRows = Guard.Data(() => LabeledDataset.FromDataView(aligned, classes));
        ModelComparisonReport analysis = RunAnalysis(trained, testRows, data, folder, settings);
        files.AddRange(ComparisonFiles.Written(folder, analysis));

        foreach ((TrainedModel model, int index) in trained.Select((m, i) => (m, i)))
        {
            RobustnessOptions options = new RobustnessOptions
            {
                LowerBound = data.LowerBound,
                UpperBound = data.UpperBound,
                Epsilons = [0.05f, 0.1f, 0.2f, 0.3f],
                Attacks = RobustnessRuns.AttacksOf(AttackSuite.Quick, classes.Count),
                Seed = settings.Seed,
                MaxExamples = settings.EffectiveAttackRows,
                BisectionSteps = 6,
            };
            RobustnessReport report = RobustnessRuns.Evaluate(ml, model, aligned, options, console);
            string stem = Path.Combine(folder, "robustness-" + model.Name.Replace(" ", string.Empty, StringComparison.Ordinal));
            ReportFileWriter.Save(report, stem + ".json", stem + ".png", settings.Force);
            files.Add(stem + ".json");
            files.Add(stem + ".png");
            JacobianAnalysisReport? jacobian = analysis.Models[index].Jacobian;
            evaluations.Add(new ModelEvaluation(model, report, jacobian?.Overall.FrobeniusNorm.Mean, JacobianNorms.ExactLogits));
        }

        files.Add(WriteBytes(Path.Combine(folder, "robustness-comparison.png"), settings.Force, RobustnessComparisonPlot.ToPng(evaluations.Select(e => (e.Model.Name, e.Robustness)).ToList())));
        files.Add(WriteText(Path.Combine(folder, "summary.json"), settings.Force, SummaryJson.ToJson(data.Description, evaluations, analysis)));

        console.Write(SummaryTable.Build(evaluations, HeadlineEpsilon, HeadlineSigma, "Digits: with and without the Jacobian penalty"));
        console.Write(ComparisonTable.Build(analysis, "Jacobians and decision cells (test rows)"));
        console.MarkupLine($"[bold]Results in {Markup.Escape(folder)}[/]:");
        foreach (string file in files) console.MarkupLine($"  {Markup.Escape(Path.GetFileName(file))}");
        return (int)ExitCode.Success;
    }

    private static JacobianRegularizedTrainer.Options OptionsFor(DemoSettings settings, double lambda, CancellationToken cancellationToken) => new()
    {
        HiddenLayers = TrainerSettings.ParseHiddenLayers(settings.HiddenLayers),
        JacobianWeight = lambda,
        NumberOfEpochs = settings.EffectiveEpochs,
        LearningRate = 0.05,
        BatchSize = 32,
        Seed = settings.Seed,
        CancellationToken = cancellationToken,
    };

    private ModelComparisonReport RunAnalysis(IReadOnlyList<TrainedModel> trained, LabeledDataset rows, LoadedData data, string folder, DemoSettings settings)
    {
        var analysisSettings = new AnalyzeSettings
        {
            Examples = settings.Quick ? "0" : "0,1",
            StatisticsRows = rows.Count,
            BoundaryRows = settings.Quick ? 30 : 100,
            Radius = 3,
            Resolution = settings.Quick ? 61 : 121,
            Seed = settings.Seed,
            Force = settings.Force,
        };
        List<(string Name, IModel Model)> models = trained.Select(t => ModelAnalysis.FromTrained(t, rows, analysisSettings.FiniteDifferenceStep)).ToList();
        return ModelAnalysis.Run(console, models, rows, analysisSettings.ExampleRows(), analysisSettings, data.Image, folder);
    }

    private static string Write(string path, bool force, Action<Stream> write)
    {
        OutputFiles.WriteAtomically(path, force, "--output", write);
        return path;
    }

    private static string WriteText(string path, bool force, string text)
    {
        OutputFiles.WriteText(path, force, "--output", text);
        return path;
    }

    private static string WriteBytes(string path, bool force, byte[] content)
    {
        OutputFiles.WriteBytes(path, force, "--output", content);
        return path;
    }
}
