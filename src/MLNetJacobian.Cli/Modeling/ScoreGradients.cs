using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Analysis;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Data;
using MLNetJacobian.Models;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>
/// The norm of the Score's input gradient <c>||dScore/dx||</c> of a binary classifier (the logit) or a regressor (the
/// prediction in the label's units) per row, over the raw Features: exact when the library's
/// <see cref="MlNetModel.Create"/> finds a white box (this library's networks, trained here or restored from a zip, and
/// ML.NET's linear predictors, behind affine normalizers), by central differences of the Score column for any other
/// model (trees). <see cref="Measured.Method"/> says which.
/// </summary>
internal static class ScoreGradients
{
    /// <summary>The per-row gradient norms and how they were computed.</summary>
    /// <param name="Norms">The distribution of <c>||dScore/dx||</c> over the rows.</param>
    /// <param name="Method">"exact (...)" or "finite differences of Score, ...".</param>
    /// <param name="Exact">Whether the gradients are exact.</param>
    internal sealed record Measured(DistributionSummary Norms, string Method, bool Exact);

    /// <summary>Measures the gradient norms of <paramref name="model"/> (which reads the Features column) on <paramref name="rows"/>.</summary>
    /// <param name="model">The model on the Features column.</param>
    /// <param name="rows">The rows (raw features).</param>
    /// <param name="relativeStep">The finite-difference step as a fraction of each feature's range over the rows.</param>
    /// <param name="path">The model's name or zip, for messages.</param>
    public static Measured Measure(ITransformer model, LabeledDataset rows, double relativeStep, string path)
    {
        // The library's one choice of white box (its networks and linear predictors, behind affine normalizers, checked
        // against the Score column), the same as the robustness evaluators make.
        IModel chosen = Guard.Data(() => Wrap(path, () => MlNetModel.Create(model, View(rows), out _)));
        if (chosen is IDifferentiableModel differentiable) return Exact(differentiable, rows);
        return FiniteDifferences(ScoresOf(model, rows, path), rows, relativeStep);
    }

    /// <summary>The finite-difference measurement alone, for any model (the fallback of <see cref="Measure"/>).</summary>
    public static Measured FiniteDifferences(ITransformer model, LabeledDataset rows, double relativeStep, string path) =>
        FiniteDifferences(ScoresOf(model, rows, path), rows, relativeStep);

    /// <summary>The method text of the finite-difference fallback.</summary>
    public static string FiniteDifferenceMethod(double relativeStep, int rows) =>
        string.Create(CultureInfo.InvariantCulture, $"finite differences of Score, step relative to each feature's range (central, {relativeStep:G3} x the range over {rows} rows)");

    private static TransformerModel ScoresOf(ITransformer model, LabeledDataset rows, string path) => Wrap(path, () => new TransformerModel(model, rows.FeatureCount));

    private static T Wrap<T>(string path, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException exception)
        {
            throw CliException.InvalidModel($"--model '{path}': {Guard.OneLine(exception.Message)}", exception);
        }
    }

    private static Measured FiniteDifferences(TransformerModel scores, LabeledDataset rows, double relativeStep)
    {
        FiniteDifferenceJacobian jacobian = FiniteDifferenceJacobian.ForData(scores, rows.Features, relativeStep);
        JacobianAnalysisReport report = Guard.Data(() => JacobianAnalyzer.Analyze(jacobian, rows, new JacobianAnalyzer.Options { MaxExamples = rows.Count }));
        return new Measured(report.Overall.FrobeniusNorm, FiniteDifferenceMethod(relativeStep, rows.Count), false);
    }

    /// <summary>
    /// Exact gradients of the white box's one output through the library's <see cref="OneOutputAnalysis.InputGradients"/>:
    /// the logit, or the prediction in the label's units (the white box folds a regressor's label scaling into its last layer).
    /// </summary>
    private static Measured Exact(IDifferentiableModel model, LabeledDataset rows)
    {
        InputGradientReport report = Guard.Data(() => OneOutputAnalysis.InputGradients(model, rows.Features, rows.Count));
        string of = model.Task == ModelTask.Regression ? "the prediction in the label's units" : "the logit";
        return new Measured(report.L2Norms, $"exact: backpropagation of {of} through the public weights of {model.Description}", report.IsExact);
    }

    /// <summary>The rows as a data view with the Features column, for <see cref="MlNetModel.Create"/>.</summary>
    private static IDataView View(LabeledDataset rows)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[LoadedData.FeatureColumnName].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows.FeatureCount);
        FeatureRow[] data = Enumerable.Range(0, rows.Count).Select(i => new FeatureRow { Features = rows.Features.AsSpan(i * rows.FeatureCount, rows.FeatureCount).ToArray() }).ToArray();
        return new MLContext(seed: 0).Data.LoadFromEnumerable(data, schema);
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }
}
