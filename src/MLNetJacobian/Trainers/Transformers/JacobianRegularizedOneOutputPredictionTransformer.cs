using Microsoft.ML;

namespace MLNetJacobian.Trainers;

/// <summary>
/// The fitted Jacobian-regularized binary classifier or regressor in an ML.NET pipeline: reads the feature column and
/// adds <c>Score</c> (Single: the logit, or the prediction in the label's units) and, for a binary classifier,
/// <c>Probability</c> (Single, the logit's sigmoid) and <c>PredictedLabel</c> (Boolean, <c>Score &gt; 0</c>), as
/// ML.NET's own binary and regression trainers do.
/// </summary>
/// <remarks>
/// It scores, saves and maps rows through a chain of first-party ML.NET transformers holding the network as ONNX
/// (<see cref="OneOutputScoringChain"/>): <c>mlContext.Model.Save</c> writes a standard zip, and
/// <c>mlContext.Model.Load</c> returns that chain, with the same columns and scores, in any process that references
/// ML.NET, Microsoft.ML.OnnxTransformer and this library.
/// </remarks>
public sealed class JacobianRegularizedOneOutputPredictionTransformer
    : JacobianRegularizedPredictionTransformerBase<JacobianRegularizedOneOutputModelParameters>
{
    /// <summary>Wraps trained (or hand-set) model parameters as a transformer reading <paramref name="featureColumnName"/>.</summary>
    /// <param name="context">The ML.NET context that builds the scoring chain.</param>
    /// <param name="model">The network and task.</param>
    /// <param name="featureColumnName">The feature column, <c>Vector&lt;Single, D&gt;</c>; it may not be named as an output column.</param>
    /// <exception cref="ArgumentException">The feature column name is empty or names an output column.</exception>
    public JacobianRegularizedOneOutputPredictionTransformer(MLContext context, JacobianRegularizedOneOutputModelParameters model,
        string featureColumnName = "Features")
        : base(model ?? throw new ArgumentNullException(nameof(model)), featureColumnName, model.FeatureCount,
            [ScoringChain.ScoreColumnName, ScoringChain.PredictedLabelColumnName, OneOutputScoringChain.ProbabilityColumnName],
            () => OneOutputScoringChain.Build(context ?? throw new ArgumentNullException(nameof(context)), model, featureColumnName))
    {
    }
}
