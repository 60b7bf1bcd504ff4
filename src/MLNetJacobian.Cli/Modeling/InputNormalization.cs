using System.Collections.Immutable;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Data;
using Microsoft.ML.Transforms;
using static Microsoft.ML.Transforms.NormalizingTransformer;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>How the tool scales the features before the network sees them (<c>--normalize</c>).</summary>
public enum NormalizationMode
{
    /// <summary>The network sees the features as loaded.</summary>
    None,

    /// <summary><c>(x - mean) / std</c>: given values for every feature, or each feature's fitted on the training rows.</summary>
    Standardize,

    /// <summary><c>(x - min) / (max - min)</c> per feature, fitted on the training rows.</summary>
    MinMax,
}

/// <summary>
/// The normalizer in front of the network: an ML.NET <c>NormalizingTransformer</c> that is fitted on the training rows
/// (or built from given statistics), trained through, and saved as the first step of the model, so that the zip
/// scores raw features. The penalty <c>(lambda/2) ||J||_F^2</c> acts on the Jacobian with respect to the normalized
/// features; the attacks perturb the raw features (the evaluator folds the normalizer into the network's first layer).
/// </summary>
/// <param name="Mode">The scaling.</param>
/// <param name="Mean">With <see cref="NormalizationMode.Standardize"/>: the mean subtracted from every feature, or null to fit each feature's.</param>
/// <param name="Deviation">With a given <paramref name="Mean"/>: the standard deviation every feature is divided by.</param>
internal sealed record InputNormalization(NormalizationMode Mode, double? Mean = null, double? Deviation = null)
{
    /// <summary>No normalization.</summary>
    public static InputNormalization None { get; } = new(NormalizationMode.None);

    /// <summary>Relative agreement demanded between the given statistics and the built normalizer's.</summary>
    private const double StatisticsTolerance = 1e-5;

    /// <summary>The features lambda's penalty acts on, in words, for the console, the history and the README.</summary>
    public string Space => Mode switch
    {
        NormalizationMode.Standardize when Mean is double mean =>
            $"the standardized features (x - {Number(mean)}) / {Number(Deviation!.Value)}",
        NormalizationMode.Standardize => "the standardized features (x - mean) / std, with each feature's mean and std fitted on the training rows",
        NormalizationMode.MinMax => "the min-max scaled features (x - min) / (max - min), with each feature's min and max fitted on the training rows",
        _ => "the raw features (no --normalize)",
    };

    /// <summary>The settings as a name-to-value map for the history JSON.</summary>
    public IReadOnlyDictionary<string, object?> Record => new Dictionary<string, object?>
    {
        ["mode"] = Mode.ToString(),
        ["mean"] = Mean,
        ["std"] = Deviation,
        ["fitted"] = Mode != NormalizationMode.None && Mean is null,
        ["lambdaActsOn"] = Space,
    };

    /// <summary>Fits (or builds) the normalizer on <paramref name="train"/>'s feature column; null for <see cref="NormalizationMode.None"/>.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="train">The training rows.</param>
    /// <param name="featureCount">D.</param>
    public FittedNormalization? Fit(MLContext context, IDataView train, int featureCount)
    {
        const string column = LoadedData.FeatureColumnName;
        NormalizingTransformer transformer = Mode switch
        {
            NormalizationMode.None => null!,
            NormalizationMode.MinMax => context.Transforms.NormalizeMinMax(column, fixZero: false).Fit(train),
            _ when Mean is double mean => FromStatistics(context, featureCount, mean, Deviation!.Value),
            _ => context.Transforms.NormalizeMeanVariance(column, fixZero: false).Fit(train),
        };
        if (transformer is null) return null;
        (float[] scale, float[] offset) = AffineOf(transformer, featureCount);
        for (int j = 0; j < featureCount; j++)
        {
            if (!float.IsFinite(scale[j]) || !float.IsFinite(offset[j]))
            {
                throw CliException.InvalidData($"--normalize {Mode}: feature {j} got scale {scale[j]} and offset {offset[j]} from the training rows.");
            }
        }

        return new FittedNormalization(this, transformer, scale, offset);
    }

    /// <summary>
    /// A standardizer with the given statistics. ML.NET has no public normalizer built from given values, so its
    /// mean-variance normalizer is fitted on two rows, <c>mean - a</c> and <c>mean + a</c> in every feature: their mean
    /// is <c>mean</c> and their standard deviation is proportional to <c>a</c>; one calibrating fit finds the factor
    /// (it depends on ML.NET's variance convention), a second fit uses it, and the result is checked.
    /// </summary>
    private static NormalizingTransformer FromStatistics(MLContext context, int featureCount, double mean, double deviation)
    {
        NormalizingTransformer FitOn(double halfSpread)
        {
            float[] Constant(double value) => Enumerable.Repeat((float)value, featureCount).ToArray();
            SchemaDefinition schema = SchemaDefinition.Create(typeof(FeatureRow));
            schema[LoadedData.FeatureColumnName].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
            IDataView rows = context.Data.LoadFromEnumerable(
                [new FeatureRow { Features = Constant(mean - halfSpread) }, new FeatureRow { Features = Constant(mean + halfSpread) }], schema);
            return context.Transforms.NormalizeMeanVariance(LoadedData.FeatureColumnName, fixZero: false).Fit(rows);
        }

        double fittedDeviation = 1 / AffineOf(FitOn(deviation), featureCount).Scale[0];
        NormalizingTransformer transformer = FitOn(deviation * deviation / fittedDeviation);
        (float[] scale, float[] offset) = AffineOf(transformer, featureCount);
        if (Math.Abs(scale[0] * deviation - 1) > StatisticsTolerance || Math.Abs(offset[0] - mean) > StatisticsTolerance * Math.Max(1, Math.Abs(mean)))
        {
            throw new InvalidOperationException(
                $"The standardizer built for mean {Number(mean)} and std {Number(deviation)} has scale {scale[0]} and offset {offset[0]}.");
        }

        return transformer;
    }

    /// <summary>The normalizer's <c>y = (x - offset) * scale</c>, per feature.</summary>
    private static (float[] Scale, float[] Offset) AffineOf(NormalizingTransformer transformer, int featureCount)
    {
        if (transformer.GetNormalizerModelParameters(0) is not AffineNormalizerModelParameters<ImmutableArray<float>> affine)
        {
            throw new InvalidOperationException("The fitted normalizer is not an affine one.");
        }

        float[] scale = affine.Scale.ToArray(), offset = affine.Offset.IsDefaultOrEmpty ? new float[featureCount] : affine.Offset.ToArray();
        if (scale.Length == 1 && featureCount > 1) scale = Enumerable.Repeat(scale[0], featureCount).ToArray();
        if (offset.Length == 1 && featureCount > 1) offset = Enumerable.Repeat(offset[0], featureCount).ToArray();
        return (scale, offset);
    }

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }
}

/// <summary>A fitted normalizer: the transformer saved in front of the network and its affine map <c>(x - Offset) * Scale</c>.</summary>
/// <param name="Settings">What was asked for.</param>
/// <param name="Transformer">The ML.NET normalizer (the model's first step).</param>
/// <param name="Scale">Per feature, <c>[D]</c>.</param>
/// <param name="Offset">Per feature, <c>[D]</c>.</param>
internal sealed record FittedNormalization(InputNormalization Settings, ITransformer Transformer, float[] Scale, float[] Offset)
{
    /// <summary>A copy of <paramref name="rows"/> in the space the network sees.</summary>
    public LabeledDataset Apply(LabeledDataset rows)
    {
        float[] features = new float[rows.Features.Length];
        int d = rows.FeatureCount;
        for (int k = 0; k < features.Length; k++) features[k] = (rows.Features[k] - Offset[k % d]) * Scale[k % d];
        return rows with { Features = features };
    }
}
