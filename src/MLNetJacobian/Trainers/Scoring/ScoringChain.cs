using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Onnx;

namespace MLNetJacobian.Trainers;

/// <summary>
/// Builds the chain of first-party ML.NET transformers that scores with a trained network and is what a saved zip
/// holds, so that <c>mlContext.Model.Load</c> reads it in any process that references ML.NET, its ONNX transformer
/// and this library (for <see cref="PredictedLabelTextMappingFactory"/>), with no registration call.
/// </summary>
/// <remarks>
/// <code>
/// ApplyOnnxModel          Features [D] -> Score [C] (SlotNames = class names), MLNetJacobian.PredictedLabelVector [1]
/// CustomMapping           MLNetJacobian.PredictedLabelVector -> MLNetJacobian.PredictedLabelText (scalar string), or
///                         -> MLNetJacobian.PredictedLabelValue (the label's key value type: Single, Double, Int32, ...)
/// MapValueToKey           that column -> PredictedLabel (key, KeyValues = the class values, of the label's key value type)
/// DropColumns             the two helper columns
/// </code>
/// The ONNX graph is written by <see cref="OnnxClassifierWriter"/>; its bytes are stored inside the zip.
/// </remarks>
internal static class ScoringChain
{
    /// <summary>The score column, class probabilities <c>Vector&lt;Single, C&gt;</c>.</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>The predicted label column, a key over the class names.</summary>
    public const string PredictedLabelColumnName = "PredictedLabel";

    private const string LogitsValueName = "MLNetJacobian.Logits";

    /// <summary>Builds and fits the chain (fitting reads no rows: every step is trivial or has its key data).</summary>
    public static ITransformer Build(MLContext context, JacobianRegularizedModelParameters model, string featureColumnName) =>
        Estimator(context, model, featureColumnName).Fit(EmptyFeatureView(context, featureColumnName, model.FeatureCount));

    /// <summary>
    /// The output shape of the chain for any model: the input columns plus Score (Vector of Single) and
    /// PredictedLabel (key with KeyValues). Taken from the chain's own estimators, built around a one-feature,
    /// two-class network, since the shapes do not depend on the sizes; PredictedLabel's key values have type
    /// <paramref name="classValueType"/>.
    /// </summary>
    public static SchemaShape OutputShape(MLContext context, SchemaShape inputShape, string featureColumnName, PrimitiveDataViewType classValueType)
    {
        string[] names = classValueType.Equals(BooleanDataViewType.Instance) ? ["False", "True"] : ["0", "1"];
        var placeholder = new JacobianRegularizedModelParameters(
            new Network.NetworkArchitecture(1, [], 2, Network.Activation.Relu), new float[4], names, classValueType);
        return Estimator(context, placeholder, featureColumnName).GetOutputSchema(inputShape);
    }

    private static IEstimator<ITransformer> Estimator(MLContext context, JacobianRegularizedModelParameters model, string featureColumnName)
    {
        var names = new OnnxClassifierNames
        {
            InputName = featureColumnName,
            ScoreName = ScoreColumnName,
            PredictedLabelName = PredictedLabelTextMappingFactory.VectorColumnName,
            LogitsName = LogitsValueName,
        };
        // One row per run: ML.NET types the outputs exactly (Score: Vector<Single, C>) and scores row by row.
        var onnx = new MemoryStream(OnnxClassifierWriter.ToBytes(
            model.Architecture, model.Parameters, model.ClassNames, names, OnnxRowLayout.SingleRow, ClassValueTypes.NameOf(model.ClassValueType)));
        ClassValueTypes.Step label = ClassValueTypes.StepsFor(context, model.ClassValueType, model.ClassNames);
        var estimator = context.Transforms.ApplyOnnxModel(
                [ScoreColumnName, PredictedLabelTextMappingFactory.VectorColumnName], [featureColumnName], onnx)
            .Append(label.Mapping)
            .Append(context.Transforms.Conversion.MapValueToKey(PredictedLabelColumnName, label.ValueColumnName, keyData: label.KeyData))
            .Append(context.Transforms.DropColumns(PredictedLabelTextMappingFactory.VectorColumnName, label.ValueColumnName));
        return estimator;
    }

    /// <summary>A view with no rows and one column, the features as <c>Vector&lt;Single, D&gt;</c>.</summary>
    internal static IDataView EmptyFeatureView(MLContext context, string featureColumnName, int featureCount)
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(FeatureRow));
        definition[0].ColumnName = featureColumnName;
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return context.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), definition);
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }
}
