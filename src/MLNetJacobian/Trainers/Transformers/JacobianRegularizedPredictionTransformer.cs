using Microsoft.ML;

namespace MLNetJacobian.Trainers;

/// <summary>
/// The fitted Jacobian-regularized classifier in an ML.NET pipeline: reads the feature column and adds
/// <c>Score</c> (class probabilities, <c>Vector&lt;Single, C&gt;</c> with SlotNames = class names) and
/// <c>PredictedLabel</c> (a key over the class names, with KeyValues), as ML.NET's multiclass trainers do.
/// </summary>
/// <remarks>
/// It scores, saves and maps rows through <see cref="ScoringChain"/>, a chain of first-party ML.NET transformers
/// holding the network as ONNX. <c>mlContext.Model.Save</c> therefore writes a standard zip, and
/// <c>mlContext.Model.Load</c> returns that chain in place of this type (with the same columns and scores), in any
/// process that references ML.NET, Microsoft.ML.OnnxTransformer and this library.
/// </remarks>
public sealed class JacobianRegularizedPredictionTransformer : JacobianRegularizedPredictionTransformerBase<JacobianRegularizedModelParameters>
{
    /// <summary>Wraps trained (or hand-set) model parameters as a transformer reading <paramref name="featureColumnName"/>.</summary>
    /// <param name="context">The ML.NET context that builds the scoring chain.</param>
    /// <param name="model">The network and class names.</param>
    /// <param name="featureColumnName">The feature column, <c>Vector&lt;Single, D&gt;</c>; it may not be named Score or PredictedLabel.</param>
    /// <exception cref="ArgumentException">The feature column name is empty or names an output column.</exception>
    public JacobianRegularizedPredictionTransformer(MLContext context, JacobianRegularizedModelParameters model, string featureColumnName = "Features")
        : base(model ?? throw new ArgumentNullException(nameof(model)), featureColumnName, model.FeatureCount,
            [ScoringChain.ScoreColumnName, ScoringChain.PredictedLabelColumnName],
            () => ScoringChain.Build(context ?? throw new ArgumentNullException(nameof(context)), model, featureColumnName))
    {
    }
}
