using System.Collections.Immutable;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;

namespace MLNetJacobian.Robustness;

/// <summary>
/// Finds a differentiable equivalent of an ML.NET model through public model parameters: a linear multiclass
/// predictor (<see cref="LinearMulticlassModelParametersBase"/>: maximum entropy or SDCA non-calibrated) behind any
/// number of affine normalizers, folded into one <see cref="LinearClassifier"/> on the raw features. The result is
/// only used when it reproduces the model's Score column on real rows.
/// </summary>
internal static class MlNetWhiteBox
{
    /// <summary>Largest accepted difference between reproduced and actual scores (float rounding of a 1e3-term dot product).</summary>
    private const double ScoreTolerance = 1e-3;

    public static IClassifierScores Choose(ITransformer model, TransformerClassifier blackBox, float[] features, int rows, List<string> notices)
    {
        if (!TryBuild(model, blackBox.FeatureCount, blackBox.ClassCount, out LinearClassifier? linear, out bool scoresAreProbabilities, out string reason))
        {
            notices.Add($"Attacked as a black box (scores only): {reason}");
            return blackBox;
        }

        int check = Math.Min(rows, 64);
        int c = blackBox.ClassCount;
        var expected = new float[check * c];
        var actual = new float[check * c];
        blackBox.ComputeScores(features.AsSpan(0, check * blackBox.FeatureCount), check, expected);
        linear!.ComputeScores(features.AsSpan(0, check * blackBox.FeatureCount), check, actual);
        if (scoresAreProbabilities)
        {
            for (int i = 0; i < check; i++) Softmax(actual.AsSpan(i * c, c));
        }

        double largest = 0;
        for (int k = 0; k < expected.Length; k++) largest = Math.Max(largest, Math.Abs(expected[k] - actual[k]) / (1 + Math.Abs(expected[k])));
        if (!(largest <= ScoreTolerance))
        {
            notices.Add($"Attacked as a black box: the weights of {linear.Description} did not reproduce the Score column " +
                $"(largest relative difference {largest.ToString("G3", CultureInfo.InvariantCulture)} on {check} rows); a transform between the features and the predictor is not affine or not understood.");
            return blackBox;
        }

        notices.Add($"Attacked white-box through the public weights of {linear.Description} (scores reproduced to {largest.ToString("G2", CultureInfo.InvariantCulture)} on {check} rows); gradients are taken on the logits" +
            (scoresAreProbabilities ? ", not on the softmax probabilities of the Score column." : "."));
        return linear;
    }

    private static bool TryBuild(ITransformer model, int featureCount, int classCount, out LinearClassifier? linear, out bool scoresAreProbabilities, out string reason)
    {
        linear = null;
        scoresAreProbabilities = false;
        List<ITransformer> parts = Flatten(model).ToList();
        int predictorIndex = parts.FindLastIndex(p => p is IPredictionTransformer<LinearMulticlassModelParametersBase>);
        if (predictorIndex < 0)
        {
            reason = $"the model ({TransformerClassifier.DescribeModel(model)}) has no linear multiclass predictor whose weights are public; gradient attacks need a differentiable model.";
            return false;
        }

        var predictor = ((IPredictionTransformer<LinearMulticlassModelParametersBase>)parts[predictorIndex]).Model;
        VBuffer<float>[] weights = [];
        predictor.GetWeights(ref weights, out int classes);
        if (classes != classCount || weights.Length != classCount || weights.Any(w => w.Length != featureCount))
        {
            reason = $"the linear predictor has {classes} classes of {weights.FirstOrDefault().Length} weights; the data has {featureCount} features and the Score column {classCount} classes.";
            return false;
        }

        var w = new float[classCount * featureCount];
        for (int k = 0; k < classCount; k++) weights[k].DenseValues().ToArray().CopyTo(w, k * featureCount);
        float[] b = predictor.GetBiases().ToArray();
        scoresAreProbabilities = predictor is MaximumEntropyModelParameters;
        string name = predictor.GetType().Name.Replace("ModelParameters", "", StringComparison.Ordinal);
        var current = new LinearClassifier(w, b, featureCount, name);
        var described = new List<string> { name };
        for (int p = predictorIndex - 1; p >= 0; p--)
        {
            if (parts[p] is not NormalizingTransformer normalizer) continue;
            if (normalizer.GetNormalizerModelParameters(0) is not NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>> affine)
            {
                reason = $"the normalizer {normalizer.GetNormalizerModelParameters(0).GetType().Name} in front of the predictor is not affine.";
                return false;
            }

            if (affine.Scale.Length != featureCount)
            {
                reason = $"an affine normalizer has {affine.Scale.Length} scales for {featureCount} features.";
                return false;
            }

            described.Insert(0, "affine normalizer");
            current = current.PrependAffine(affine.Scale.AsSpan(), affine.Offset.IsDefault ? [] : affine.Offset.AsSpan(), string.Join(" -> ", described));
        }

        linear = current;
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

    private static void Softmax(Span<float> values)
    {
        float largest = float.NegativeInfinity;
        foreach (float v in values) largest = Math.Max(largest, v);
        double sum = 0;
        for (int j = 0; j < values.Length; j++) sum += Math.Exp(values[j] - largest);
        for (int j = 0; j < values.Length; j++) values[j] = (float)(Math.Exp(values[j] - largest) / sum);
    }
}
