using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Onnx;
using MLNetJacobian.Models;

namespace MLNetJacobian.Trainers;

/// <summary>
/// The chain of first-party ML.NET transformers that scores with a one-output network (binary or regression) and is
/// what a saved zip holds, as <see cref="ScoringChain"/> is for the multiclass network.
/// </summary>
/// <remarks>
/// <code>
/// ApplyOnnxModel   Features [D] -> MLNetJacobian.ScoreVector [1] (and, binary, MLNetJacobian.ProbabilityVector [1])
/// CustomMapping    -> Score (Single); binary also Probability (Single) and PredictedLabel (Boolean, Score &gt; 0)
/// DropColumns      the vector columns
/// </code>
/// </remarks>
internal static class OneOutputScoringChain
{
    /// <summary>The probability column of a binary classifier.</summary>
    public const string ProbabilityColumnName = "Probability";

    /// <summary>Builds and fits the chain (fitting reads no rows).</summary>
    public static ITransformer Build(MLContext context, JacobianRegularizedOneOutputModelParameters model, string featureColumnName) =>
        Estimator(context, model, featureColumnName).Fit(ScoringChain.EmptyFeatureView(context, featureColumnName, model.FeatureCount));

    /// <summary>The output shape of the chain for a task, taken from the chain's estimators around a placeholder network.</summary>
    public static SchemaShape OutputShape(MLContext context, SchemaShape inputShape, string featureColumnName, ModelTask task)
    {
        var placeholder = new JacobianRegularizedOneOutputModelParameters(task, new NetworkArchitecture(1, [], 1, Activation.Relu), new float[2]);
        return Estimator(context, placeholder, featureColumnName).GetOutputSchema(inputShape);
    }

    private static IEstimator<ITransformer> Estimator(MLContext context, JacobianRegularizedOneOutputModelParameters model, string featureColumnName)
    {
        bool binary = model.Task == ModelTask.BinaryClassification;
        var onnx = new MemoryStream(OnnxOneOutputWriter.ToBytes(model, featureColumnName, RegressionScoreMappingFactory.ScoreVectorColumnName,
            BinaryScoreMappingFactory.ProbabilityVectorColumnName, null, OnnxRowLayout.SingleRow));
        string[] vectors = binary
            ? [RegressionScoreMappingFactory.ScoreVectorColumnName, BinaryScoreMappingFactory.ProbabilityVectorColumnName]
            : [RegressionScoreMappingFactory.ScoreVectorColumnName];
        IEstimator<ITransformer> mapping = binary
            ? context.Transforms.CustomMapping(new BinaryScoreMappingFactory().GetMapping(), BinaryScoreMappingFactory.ContractName)
            : context.Transforms.CustomMapping(new RegressionScoreMappingFactory().GetMapping(), RegressionScoreMappingFactory.ContractName);
        return context.Transforms.ApplyOnnxModel(vectors, [featureColumnName], onnx)
            .Append(mapping)
            .Append(context.Transforms.DropColumns(vectors));
    }
}
