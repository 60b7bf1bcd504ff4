using System.Globalization;
using Microsoft.ML;
using MLNetJacobian.Network;
using MLNetJacobian.Analysis;
using MLNetJacobian.Cli.Commands;
using MLNetJacobian.Data;
using MLNetJacobian.Models;
using MLNetJacobian.Trainers;
using Spectre.Console;
using MLNetJacobian.Plotting;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>Builds the analysis library's model wrappers and runs its comparison with the command's settings.</summary>
internal static class ModelAnalysis
{
    /// <summary>
    /// A loaded ML.NET model: batch classifier over its Score column, Jacobians by central differences with a step per
    /// feature of <paramref name="relativeStep"/> times that feature's range over <paramref name="rows"/>
    /// (<see cref="FiniteDifferenceJacobian.ForData"/>), so the step suits 0..255 pixels and features in thousandths alike.
    /// </summary>
    /// <param name="name">The name for tables and figures.</param>
    /// <param name="path">The zip it came from, for messages.</param>
    /// <param name="model">The model.</param>
    /// <param name="rows">The rows whose feature ranges scale the step.</param>
    /// <param name="relativeStep">The step as a fraction of each feature's range (<c>--finite-difference-step</c>).</param>
    public static (string Name, IModel Model) FromLoaded(string name, string path, ITransformer model, LabeledDataset rows, double relativeStep) =>
        (name, Differentiated(path, model, rows, relativeStep));

    /// <summary>The black-box model of <see cref="FromLoaded"/> with its central-difference Jacobian.</summary>
    /// <param name="path">The zip it came from, for messages.</param>
    /// <param name="model">The model.</param>
    /// <param name="rows">The rows whose feature ranges scale the step.</param>
    /// <param name="relativeStep">The step as a fraction of each feature's range.</param>
    public static FiniteDifferenceJacobian Differentiated(string path, ITransformer model, LabeledDataset rows, double relativeStep)
    {
        TransformerModel classifier;
        try
        {
            classifier = new TransformerModel(model, rows.FeatureCount);
        }
        catch (ArgumentException exception)
        {
            throw CliException.InvalidModel($"--model '{path}': {Guard.OneLine(exception.Message)}", exception);
        }

        return FiniteDifferenceJacobian.ForData(classifier, rows.Features, relativeStep);
    }

    /// <summary>How <see cref="FromLoaded"/> differentiates, for the console.</summary>
    public static string StepDescription(double relativeStep, LabeledDataset rows) =>
        string.Create(CultureInfo.InvariantCulture, $"central differences (step {relativeStep:G3} x each feature's range over {rows.Count} rows) of the Score column");

    /// <summary>
    /// A model loaded from a zip: exact Jacobians when it holds this library's network
    /// (<see cref="JacobianRegularizedPredictionTransformer"/>, as <see cref="ModelFile"/> restores it) reading the
    /// data's Features column untouched and giving the final Score column; otherwise as <see cref="FromLoaded"/>.
    /// </summary>
    /// <param name="name">The name for tables and figures.</param>
    /// <param name="path">The zip it came from, for messages.</param>
    /// <param name="model">The model.</param>
    /// <param name="dataSchema">The schema of the data it scores.</param>
    /// <param name="rows">The analyzed rows (D, and the feature ranges that scale the finite-difference step).</param>
    /// <param name="relativeStep">The finite-difference step as a fraction of each feature's range.</param>
    /// <param name="jacobians">How its Jacobians are computed, for the console.</param>
    public static (string Name, IModel Model) FromZip(string name, string path, ITransformer model, DataViewSchema dataSchema, LabeledDataset rows, double relativeStep, out string jacobians)
    {
        if (DirectNetwork(model, dataSchema, rows.FeatureCount) is { } network)
        {
            jacobians = $"exact, from the network {network.Architecture} restored from the zip";
            return (name, network.CreateModel(maxBatchSize: 512));
        }

        jacobians = StepDescription(relativeStep, rows);
        return FromLoaded(name, path, model, rows, relativeStep);
    }

    /// <summary>
    /// The model's network when it sees the raw Features column and its Score is the model's: no step before it
    /// replaces Features and none after it replaces Score (a replaced column gets a new index in the schema).
    /// </summary>
    internal static JacobianRegularizedModelParameters? DirectNetwork(ITransformer model, DataViewSchema dataSchema, int featureCount)
    {
        List<ITransformer> parts = Flatten(model).ToList();
        int index = parts.FindIndex(p => p is JacobianRegularizedPredictionTransformer);
        if (index < 0 || parts.FindLastIndex(p => p is JacobianRegularizedPredictionTransformer) != index) return null;
        var network = (JacobianRegularizedPredictionTransformer)parts[index];
        if (network.FeatureColumnName != "Features" || network.Model.FeatureCount != featureCount) return null;
        DataViewSchema schema = dataSchema;
        for (int i = 0; i < parts.Count; i++)
        {
            DataViewSchema next = parts[i].GetOutputSchema(schema);
            string watched = i < index ? "Features" : "Score";
            if (i > index && !SameColumn(schema, next, watched)) return null;
            if (i < index && !SameColumn(schema, next, watched)) return null;
            schema = next;
        }

        return network.Model;
    }

    private static bool SameColumn(DataViewSchema before, DataViewSchema after, string name) =>
        before.GetColumnOrNull(name) is { } column && after.GetColumnOrNull(name) is { } kept && column.Index == kept.Index;

    private static IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [model];

    /// <summary>A model trained in this process: exact Jacobians from its network, or central differences for ML.NET trainers.</summary>
    public static (string Name, IModel Model) FromTrained(TrainedModel trained, LabeledDataset rows, double relativeStep) =>
        trained.Network is { } network && trained.Normalization is null
            ? (trained.Name, network.CreateModel(maxBatchSize: 512))
            : FromLoaded(trained.Name, trained.Name, trained.Model, rows, relativeStep);

    /// <summary>Runs <see cref="ModelComparison.Run"/> under a spinner, writing its files into <paramref name="output"/>.</summary>
    public static ModelComparisonReport Run(IAnsiConsole console, IReadOnlyList<(string Name, IModel Model)> models, LabeledDataset rows, int[] examples,
        AnalysisSettings settings, ImageShape? image, string output)
    {
        if (examples.Length > 0 && rows.FeatureCount < 2)
        {
            throw CliException.InvalidArgument($"--examples '{settings.Examples}': a decision-cell map is drawn on a plane of the input space, which needs at least 2 features; the data has {rows.FeatureCount} (--examples none draws no maps).");
        }

        foreach (int example in examples)
        {
            if (example >= rows.Count)
            {
                throw CliException.InvalidArgument($"--examples '{settings.Examples}': row {example} is not among the {rows.Count} rows analyzed (0-{rows.Count - 1}).");
            }
        }

        var options = new ModelComparison.Options
        {
            StatisticsExamples = settings.StatisticsRows,
            Boundary = new DecisionBoundaryDistance.Options { MaxExamples = settings.BoundaryRows, MaxRadius = settings.Radius, Seed = settings.Seed },
            FigureExamples = examples,
            MapRadius = settings.Radius,
            MapResolution = settings.Resolution,
            PlaneSeed = settings.Seed,
        };
        Directory.CreateDirectory(output);
        ModelComparisonReport report = null!;
        console.Status().Spinner(Spinner.Known.Dots).Start("Analyzing Jacobians, boundaries and decision cells...",
            _ => report = Guard.Data(() =>
            {
                ModelComparisonReport compared = ModelComparison.Run(models, rows, options);
                compared.Save(output, settings.Force);
                compared.SaveFigures(output, new DecisionCellFigureOptions { ImageShape = image }, settings.Force);
                return compared;
            }));
        return report;
    }
}
