using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Onnx;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Models;

/// <summary>
/// Finds a differentiable equivalent of an ML.NET model through public model parameters, folded onto the raw
/// features with the affine normalizers in front (<see cref="AffineFront"/>): this library's
/// <see cref="JacobianRegularizedPredictionTransformer"/> becomes a <see cref="NetworkModel{T}"/>, a linear
/// multiclass predictor (<see cref="LinearMulticlassModelParametersBase"/>: maximum entropy or SDCA non-calibrated)
/// a <see cref="LinearModel"/>. The result is only used when it reproduces the model's Score column on real rows.
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

        notices.Add($"Attacked white-box through the public weights of {whiteBox.Description} (scores reproduced to {largest.ToString("G2", CultureInfo.InvariantCulture)} on {check} rows); gradients are taken on the logits" +
            (scoresAreProbabilities ? ", not on the softmax probabilities of the Score column." : "."));
        return whiteBox;
    }

    private static bool TryBuild(ITransformer model, TransformerModel blackBox, out IDifferentiableModel? whiteBox, out bool scoresAreProbabilities, out string reason)
    {
        whiteBox = null;
        scoresAreProbabilities = false;
        int featureCount = blackBox.FeatureCount, classCount = blackBox.OutputCount;
        List<ITransformer> parts = Flatten(model).ToList();
        int predictorIndex = parts.FindLastIndex(p => p is JacobianRegularizedPredictionTransformer or IPredictionTransformer<LinearMulticlassModelParametersBase>);
        if (predictorIndex < 0)
        {
            reason = parts.Any(p => p is OnnxTransformer)
                ? $"the model ({TransformerModel.Describe(model)}) scores through an ONNX model (OnnxTransformer), as a model loaded from a zip does " +
                    "(mlContext.Model.Load turns a Jacobian-regularized network into an ONNX chain), whose weights ML.NET's public API does not expose. " +
                    "Load the zip with JacobianRegularizedModel.Load(mlContext, path, out schema), which restores the network, or evaluate the in-process model returned by Fit, for white-box attacks."
                : $"the model ({TransformerModel.Describe(model)}) has neither a Jacobian-regularized network nor a linear multiclass predictor whose weights are public; gradient attacks need a differentiable model.";
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
        var current = new LinearModel(w, b, featureCount, name);
        for (int s = front.Steps.Count - 1; s >= 0; s--)
        {
            string description = string.Join(" -> ", Enumerable.Repeat("affine normalizer", front.Steps.Count - s).Append(name));
            current = current.PrependAffine(front.Steps[s].Scale, front.Steps[s].Offset, description);
        }

        whiteBox = current;
        reason = "";
        return true;
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
