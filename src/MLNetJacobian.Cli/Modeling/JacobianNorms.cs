using MLNetJacobian.Analysis;
using MLNetJacobian.Data;
using MLNetJacobian.Models;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>
/// The mean <c>||J||_F</c> of a model over some rows, from the best Jacobian it offers: exact logit Jacobians for this
/// library's networks and ML.NET's linear models, central differences of the Score column otherwise.
/// </summary>
internal static class JacobianNorms
{
    /// <summary>The kind of an exact Jacobian of the logits (this library's networks, ML.NET's linear models).</summary>
    public const string ExactLogits = "logits, exact";

    /// <summary>The kind of a central-difference Jacobian of the Score column (class probabilities) of any other model.</summary>
    public const string ScoreDifferences = "Score probabilities, central differences (step relative to each feature's range)";

    /// <summary>The mean Frobenius norm and a description of what was differentiated.</summary>
    /// <param name="model">The model.</param>
    /// <param name="rows">The rows (the first <paramref name="count"/> are used).</param>
    /// <param name="count">How many rows.</param>
    /// <param name="relativeStep">The finite-difference step as a fraction of each feature's range over <paramref name="rows"/>.</param>
    public static (double Mean, string Kind) Measure(TrainedModel model, LabeledDataset rows, int count, double relativeStep)
    {
        (IJacobianModel source, string kind) = SourceOf(model, rows, relativeStep);
        if (model.Network is not null && model.Normalization is { } normalization)
        {
            // The norm the penalty acts on: with respect to the normalized features the network sees.
            rows = normalization.Apply(rows);
            kind = $"logits w.r.t. {normalization.Settings.Space} (where lambda acts), exact";
        }

        JacobianAnalysisReport report = Guard.Data(() => JacobianAnalyzer.Analyze(source, rows, new JacobianAnalyzer.Options { MaxExamples = Math.Min(count, rows.Count) }));
        return (report.Overall.FrobeniusNorm.Mean, kind);
    }

    private static (IJacobianModel Source, string Kind) SourceOf(TrainedModel model, LabeledDataset rows, double relativeStep)
    {
        if (model.Network is { } network)
        {
            return (network.CreateModel(maxBatchSize: 512), ExactLogits);
        }

        // A zip holding this library's network (restored by ModelFile) gets exact logit Jacobians, as in analyze.
        if (ModelAnalysis.DirectNetwork(model.Model, model.InputSchema, rows.FeatureCount) is { } restored)
        {
            return (restored.CreateModel(maxBatchSize: 512), ExactLogits);
        }

        if (BaselinePipeline.LinearPredictorOf(model.Model) is { } linear) return (LinearModel.FromParameters(linear), ExactLogits);
        return (ModelAnalysis.Differentiated(model.Name, model.Model, rows, relativeStep), ScoreDifferences);
    }
}
