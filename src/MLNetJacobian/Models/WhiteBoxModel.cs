using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Onnx;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Models;

/// <summary>
/// Finds a differentiable equivalent of an ML.NET model through public model parameters, folded onto the raw
/// features with the affine normalizers in front (<see cref="AffineFront"/>): this library's
/// <see cref="JacobianRegularizedPredictionTransformer"/> and <see cref="JacobianRegularizedOneOutputPredictionTransformer"/>
/// become a <see cref="NetworkModel{T}"/> (a regressor's label scaling folded into its last layer, so gradients are in
/// the label's units), a linear multiclass predictor (<see cref="LinearMulticlassModelParametersBase"/>: maximum entropy
/// or SDCA non-calibrated), a linear binary predictor (<see cref="LinearBinaryModelParameters"/>, calibrated or not: its
/// Score is the raw margin) or a linear regressor (<see cref="RegressionModelParameters"/>: SDCA, online gradient descent,
/// OLS; Poisson through <c>exp</c>) a <see cref="LinearModel"/>. The result is only used when it reproduces the model's
/// Score column on real rows.
/// </summary>
internal static class WhiteBoxModel
{
    /// <summary>Largest accepted difference between reproduced and actual scores (float rounding of a 1e3-term dot product).</summary>
    private const double ScoreTolerance = 1e-3;

    public static IModel Choose(TransformerModel blackBox, float[] features, int rows, List<string> notices)
    {
        if (!TryBuild(blackBox.Transformer, blackBox, out IDifferentiableModel? whiteBox, out bool scoresAreProbabilities, out string reason))
        {
            notices.Add($"Attacked as a black box (scores only): {reason}");
            return blackBox;
        }

        int check = Math.Min(rows, 64);
        int c = blackBox.OutputCount;
        var expected = new float[check * c];
        var actual = new float[check * c];
        blackBox.ComputeOutputs(features.AsSpan(0, check * blackBox.FeatureCount), check, expected);
        whiteBox!.ComputeOutputs(features.AsSpan(0, check * blackBox.FeatureCount), check, actual);
        if (scoresAreProbabilities)
        {
            for (int i = 0; i < check; i++) SoftmaxCrossEntropy.Softmax<float>(actual.AsSpan(i * c, c), actual.AsSpan(i * c, c));
        }

        double largest = 0;
        for (int k = 0; k < expected.Length; k++) largest = Math.Max(largest, Math.Abs(expected[k] - actual[k]) / (1 + Math.Abs(expected[k])));
        if (!(largest <= ScoreTolerance))
        {
            notices.Add($"Attacked as a black box: the weights of {whiteBox.Description} did not reproduce the Score column " +
                $"(largest relative difference {largest.ToString("G3", CultureInfo.InvariantCulture)} on {check} rows); a transform between the features and the predictor is not affine or not understood.");
            return blackBox;
        }

        string taken = blackBox.Task == ModelTask.Regression ? "gradients are of the prediction, in the label's units" : "gradients are taken on the logits";
        notices.Add($"Attacked white-box through the public weights of {whiteBox.Description} (scores reproduced to {largest.ToString("G2", CultureInfo.InvariantCulture)} on {check} rows); {taken}" +
            (scoresAreProbabilities ? ", not on the softmax probabilities of the Score column." : "."));
        return whiteBox;
    }

    private static bool TryBuild(ITransformer model, TransformerModel blackBox, out IDifferentiableModel? whiteBox, out bool scoresAreProbabilities, out string reason)
    {
        whiteBox = null;
        scoresAreProbabilities = false;
        int featureCount = blackBox.FeatureCount, classCount = blackBox.OutputCount;
        List<ITransformer> parts = Flatten(model).ToList();
        int predictorIndex = parts.FindLastIndex(p => p is JacobianRegularizedPredictionTransformer or JacobianRegularizedOneOutputPredictionTransformer
            or IPredictionTransformer<LinearMulticlassModelParametersBase> || LinearPart(p) is not null);
        if (predictorIndex < 0)
        {
            reason = parts.Any(p => p is OnnxTransformer)
                ? $"the model ({TransformerModel.Describe(model)}) scores through an ONNX model (OnnxTransformer), as a model loaded from a zip does " +
                    "(mlContext.Model.Load turns a Jacobian-regularized network into an ONNX chain), whose weights ML.NET's public API does not expose. " +
                    "Load the zip with JacobianRegularizedModel.Load(mlContext, path, out schema), which restores the network, or evaluate the in-process model returned by Fit, for white-box attacks."
                : $"the model ({TransformerModel.Describe(model)}) has neither a Jacobian-regularized network nor a linear predictor whose weights are public " +
                    "(trees, for one, have no input gradient); gradient attacks need a differentiable model.";
            return false;
        }

        var predictor = (ISingleFeaturePredictionTransformer<object>)parts[predictorIndex];
        if (!AffineFront.TryRead(parts, blackBox.InputSchema, blackBox.FeatureColumnName, predictorIndex, predictor.FeatureColumnName, featureCount, out AffineFront? front, out reason)) return false;

        string prefix = front!.Steps.Count == 0 ? "" : front.Description + " -> ";
        if (predictor is JacobianRegularizedPredictionTransformer network)
        {
            JacobianRegularizedModelParameters parameters = network.Model;
            if (parameters.FeatureCount != featureCount || parameters.ClassCount != classCount)
            {
                reason = $"the Jacobian-regularized network reads {parameters.FeatureCount} features and has {parameters.ClassCount} classes; the data has {featureCount} features and the Score column {classCount} classes.";
                return false;
            }

            // The Score column is softmax(logits) in logit order (Score[k] is ClassNames[k]), so the network's outputs are the Score slots.
            if (front.Steps.Count > 0 && !AffineFront.CanFoldInto(parameters.Architecture))
            {
                // A convolution cannot absorb a per-pixel map (its zero padding is in the normalized space): apply the map in front.
                (double[] scale, double[] shift) = front.Compose(featureCount);
                whiteBox = new AffineInputModel(
                    new NetworkModel<float>(parameters.CreateNetwork(), parameters.ClassNames, new ManagedGemmProvider(1),
                        description: $"Jacobian-regularized network {parameters.Architecture}"),
                    scale.Select(v => (float)v).ToArray(), shift.Select(v => (float)v).ToArray(), $"the features mapped by {front.Description}");
            }
            else
            {
                whiteBox = new NetworkModel<float>(front.FoldInto(parameters), parameters.ClassNames, new ManagedGemmProvider(1),
                    description: $"{prefix}Jacobian-regularized network {parameters.Architecture}");
            }

            scoresAreProbabilities = true;
            return true;
        }

        if (predictor is JacobianRegularizedOneOutputPredictionTransformer oneOutput)
        {
            JacobianRegularizedOneOutputModelParameters parameters = oneOutput.Model;
            if (parameters.FeatureCount != featureCount)
            {
                reason = $"the Jacobian-regularized network reads {parameters.FeatureCount} features; the data has {featureCount}.";
                return false;
            }

            if (front.Steps.Count > 0 && !AffineFront.CanFoldInto(parameters.Architecture))
            {
                reason = $"{front.Description} sits in front of the network {parameters.Architecture}, whose first layer is not dense.";
                return false;
            }

            bool regression = parameters.Task == ModelTask.Regression;
            float[] folded = front.FoldedParameters(parameters.Architecture, parameters.Parameters);
            if (regression) FoldLabelScaling(parameters.Architecture, folded, parameters.LabelShift, parameters.LabelScale);
            whiteBox = new NetworkModel<float>(FeedForwardNetwork<float>.FromParameters(parameters.Architecture, folded), regression ? null : blackBox.ClassNames,
                new ManagedGemmProvider(1), description: $"{prefix}{parameters}", task: regression ? ModelTask.Regression : ModelTask.BinaryClassification);
            return true;
        }

        if (LinearPart(predictor) is { } oneOutputLinear)
        {
            if (blackBox.OutputCount != 1 || oneOutputLinear.Weights.Count != featureCount)
            {
                reason = $"the linear predictor has {oneOutputLinear.Weights.Count} weights; the data has {featureCount} features and the Score column {blackBox.OutputCount} values.";
                return false;
            }

            string linearName = oneOutputLinear.GetType().Name.Replace("ModelParameters", "", StringComparison.Ordinal);
            bool exponential = oneOutputLinear is PoissonRegressionModelParameters;
            var single = new LinearModel(oneOutputLinear.Weights.ToArray(), [oneOutputLinear.Bias], featureCount, linearName,
                blackBox.Task == ModelTask.Regression ? null : blackBox.ClassNames, blackBox.Task, exponential);
            whiteBox = Prepend(single, front, linearName);
            reason = "";
            return true;
        }

        var linear = ((IPredictionTransformer<LinearMulticlassModelParametersBase>)parts[predictorIndex]).Model;
        VBuffer<float>[] weights = [];
        linear.GetWeights(ref weights, out int classes);
        if (classes != classCount || weights.Length != classCount || weights.Any(w => w.Length != featureCount))
        {
            reason = $"the linear predictor has {classes} classes of {weights.FirstOrDefault().Length} weights; the data has {featureCount} features and the Score column {classCount} classes.";
            return false;
        }

        var w = new float[classCount * featureCount];
        for (int k = 0; k < classCount; k++) weights[k].DenseValues().ToArray().CopyTo(w, k * featureCount);
        float[] b = linear.GetBiases().ToArray();
        scoresAreProbabilities = linear is MaximumEntropyModelParameters;
        string name = linear.GetType().Name.Replace("ModelParameters", "", StringComparison.Ordinal);
        whiteBox = Prepend(new LinearModel(w, b, featureCount, name), front, name);
        reason = "";
        return true;
    }

    /// <summary>The linear model with the front's normalizers folded in, last step first.</summary>
    private static LinearModel Prepend(LinearModel model, AffineFront front, string name)
    {
        LinearModel current = model;
        for (int s = front.Steps.Count - 1; s >= 0; s--)
        {
            string description = string.Join(" -> ", Enumerable.Repeat("affine normalizer", front.Steps.Count - s).Append(name));
            current = current.PrependAffine(front.Steps[s].Scale, front.Steps[s].Offset, description);
        }

        return current;
    }

    /// <summary>
    /// The linear one-output predictor of a binary or regression prediction transformer: its model parameters when they
    /// are <see cref="LinearModelParameters"/>, or a calibrated model's public <c>SubModel</c> when that is (the calibrator
    /// acts on the Probability column only; Score is the sub-model's margin). Null otherwise.
    /// </summary>
    private static LinearModelParameters? LinearPart(ITransformer part)
    {
        if (part is not ISingleFeaturePredictionTransformer<object> { Model: { } model }) return null;
        return model as LinearModelParameters ?? CalibratedSubModel(model) as LinearModelParameters;
    }

    /// <summary>
    /// The public <c>SubModel</c> of a calibrated binary model (<see cref="CalibratedModelParametersBase"/>'s generic
    /// subclasses; derived types redeclare the property, so the first non-null value is taken), or null.
    /// </summary>
    internal static object? CalibratedSubModel(object parameters) =>
        parameters is CalibratedModelParametersBase
            ? parameters.GetType().GetProperties().Where(p => p.Name == "SubModel" && p.GetIndexParameters().Length == 0).Select(p => p.GetValue(parameters)).FirstOrDefault(v => v is not null)
            : null;

    /// <summary>
    /// Folds a regressor's <c>Score = shift + scale z</c> into the last dense layer (its weights and bias times
    /// <c>scale</c>, then <c>shift</c> added to the bias), so the network outputs the prediction in the label's units.
    /// </summary>
    private static void FoldLabelScaling(NetworkArchitecture architecture, float[] parameters, float shift, float scale)
    {
        var last = architecture.WeightLayer(architecture.WeightLayerCount - 1);
        Span<float> layer = parameters.AsSpan(last.Offset, last.WeightCount + last.BiasCount);
        for (int i = 0; i < layer.Length; i++) layer[i] *= scale;
        parameters[last.Offset + last.WeightCount] += shift;
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer model)
    {
        if (model is IEnumerable<ITransformer> chain)
        {
            foreach (ITransformer part in chain)
            {
                foreach (ITransformer inner in Flatten(part)) yield return inner;
            }
        }
        else
        {
            yield return model;
        }
    }
}
