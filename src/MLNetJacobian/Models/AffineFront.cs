using System.Collections.Immutable;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Models;

/// <summary>
/// The affine normalizers (<see cref="NormalizingTransformer"/> with <see cref="NormalizingTransformer.AffineNormalizerModelParameters{TData}"/>)
/// between the raw feature column and a predictor in an ML.NET chain, read through their public parameters, so a
/// white-box model can be folded onto the raw features.
/// </summary>
/// <remarks>
/// ML.NET's affine normalizer maps each feature <c>y_j = (x_j - offset_j) * scale_j</c> (offset absent means zero).
/// Steps are kept in application order; <see cref="Compose"/> gives the whole front as one map
/// <c>y = x ⊙ S + T</c>: starting from <c>S = 1, T = 0</c>, each step sets <c>S ← S ⊙ scale</c>,
/// <c>T ← (T - offset) ⊙ scale</c>. A transform of the chain belongs to the front when it writes the column the
/// next step reads (its output schema holds one more column of that name, the old one hidden); transforms of other columns (the label's
/// MapValueToKey, for example) are ignored. Any other transform writing the feature column stops the reading.
/// </remarks>
internal sealed class AffineFront
{
    private readonly List<(float[] Scale, float[] Offset)> _steps;

    private AffineFront(List<(float[] Scale, float[] Offset)> steps) => _steps = steps;

    /// <summary>The steps in application order (the first reads the raw features); offset empty when all zero.</summary>
    public IReadOnlyList<(float[] Scale, float[] Offset)> Steps => _steps;

    /// <summary>The front for a report, for example "affine normalizer -> affine normalizer", or empty.</summary>
    public string Description => string.Join(" -> ", _steps.Select(_ => "affine normalizer"));

    /// <summary>
    /// Reads the affine normalizers that feed <paramref name="predictorFeatureColumn"/> of the predictor at
    /// <paramref name="predictorIndex"/> in <paramref name="parts"/> (the flattened chain applied to <paramref name="inputSchema"/>).
    /// </summary>
    /// <returns>True with the front; false with a reason for the report when a transform in front is not an affine normalizer.</returns>
    public static bool TryRead(IReadOnlyList<ITransformer> parts, DataViewSchema inputSchema, string rawFeatureColumn, int predictorIndex,
        string predictorFeatureColumn, int featureCount, out AffineFront? front, out string reason)
    {
        front = null;
        var schemas = new DataViewSchema[predictorIndex + 1]; // schemas[p]: the input of parts[p]
        schemas[0] = inputSchema;
        for (int p = 0; p < predictorIndex; p++) schemas[p + 1] = parts[p].GetOutputSchema(schemas[p]);

        var steps = new List<(float[] Scale, float[] Offset)>();
        string column = predictorFeatureColumn; // the column the next step (towards the predictor) reads
        for (int p = predictorIndex - 1; p >= 0; p--)
        {
            DataViewSchema.Column? before = schemas[p].GetColumnOrNull(column);
            DataViewSchema.Column? after = schemas[p + 1].GetColumnOrNull(column);
            if (after is null)
            {
                reason = $"the predictor's feature column '{column}' is not in the output of {TransformerModel.Describe(parts[p])}.";
                return false;
            }

            // A transform writing a column keeps the one it replaces as a hidden column, so the name occurs once more.
            if (before is not null && CountNamed(schemas[p + 1], column) <= CountNamed(schemas[p], column)) continue;
            if (parts[p] is not NormalizingTransformer normalizer)
            {
                reason = $"the transform {TransformerModel.Describe(parts[p])} in front of the predictor writes its feature column " +
                    $"'{column}' and is not an affine normalizer, so the model cannot be differentiated in the raw input space.";
                return false;
            }

            if (!TryReadNormalizer(normalizer, schemas[p], schemas[p + 1], after.Value, featureCount, out var affine, out string source, out reason)) return false;
            if (affine!.Scale.Length != featureCount || (!affine.Offset.IsDefaultOrEmpty && affine.Offset.Length != featureCount))
            {
                reason = $"an affine normalizer has {affine.Scale.Length} scales and {(affine.Offset.IsDefault ? 0 : affine.Offset.Length)} offsets for {featureCount} features.";
                return false;
            }

            steps.Insert(0, (affine.Scale.ToArray(), affine.Offset.IsDefaultOrEmpty ? [] : affine.Offset.ToArray()));
            column = source;
        }

        if (column != rawFeatureColumn)
        {
            reason = $"the predictor reads the column '{column}', which is not the attacked feature column '{rawFeatureColumn}' nor an affine normalization of it.";
            return false;
        }

        front = new AffineFront(steps);
        reason = "";
        return true;
    }

    private static int CountNamed(DataViewSchema schema, string name) => schema.Count(c => c.Name == name);

    /// <summary>
    /// The affine parameters of the normalizer column that writes <paramref name="written"/>, and the column it reads.
    /// The input column comes from the mapper's public dependencies. The normalizer's column ordinal is 0 when it
    /// normalizes one column; with several, it is the only ordinal whose parameters have <paramref name="featureCount"/>
    /// scales (ML.NET's output schema interleaves written columns with those they hide, so positions do not give it).
    /// </summary>
    private static bool TryReadNormalizer(NormalizingTransformer normalizer, DataViewSchema input, DataViewSchema output, DataViewSchema.Column written,
        int featureCount, out NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>>? affine, out string source, out string reason)
    {
        affine = null;
        source = "";
        DataViewSchema.Column[] reads = ((ITransformer)normalizer).GetRowToRowMapper(input).GetDependencies([written]).ToArray();
        if (reads.Length != 1)
        {
            reason = $"the normalizer writing '{written.Name}' reads {reads.Length} columns; one was expected.";
            return false;
        }

        source = reads[0].Name;
        int columnCount = output.Count - input.Count;
        var candidates = new List<NormalizingTransformer.NormalizerModelParametersBase>();
        for (int ordinal = 0; ordinal < columnCount; ordinal++)
        {
            NormalizingTransformer.NormalizerModelParametersBase parameters = normalizer.GetNormalizerModelParameters(ordinal);
            if (columnCount == 1 || parameters is NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>> { Scale.Length: var length } && length == featureCount)
            {
                candidates.Add(parameters);
            }
        }

        if (candidates.Count != 1)
        {
            reason = $"the normalizer writing '{written.Name}' normalizes {columnCount} columns, and its parameters for that column cannot be told apart.";
            return false;
        }

        if (candidates[0] is not NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>> found)
        {
            reason = $"the normalizer {candidates[0].GetType().Name} in front of the predictor is not affine.";
            return false;
        }

        affine = found;
        reason = "";
        return true;
    }

    /// <summary>The whole front as <c>y = x ⊙ S + T</c>, in double precision.</summary>
    /// <param name="featureCount">D.</param>
    /// <returns>S and T, each <c>[D]</c>.</returns>
    public (double[] Scale, double[] Shift) Compose(int featureCount)
    {
        var scale = new double[featureCount];   // S: [D]
        var shift = new double[featureCount];   // T: [D]
        Array.Fill(scale, 1.0);
        foreach ((float[] s, float[] o) in _steps)
        {
            for (int j = 0; j < featureCount; j++)
            {
                shift[j] = (shift[j] - (o.Length == 0 ? 0.0 : o[j])) * s[j];
                scale[j] *= s[j];
            }
        }

        return (scale, shift);
    }

    /// <summary>Whether a per-feature affine map can be folded into the network: it starts with a dense layer.</summary>
    public static bool CanFoldInto(NetworkArchitecture architecture) =>
        architecture.Layers.Count == 0 || architecture.Layers[0] is DenseLayerSpec;

    /// <summary>
    /// The network of <paramref name="model"/> with the front folded into its first dense layer, so it reads the raw
    /// features: <c>W_0' = W_0 diag(S)</c>, <c>b_0' = b_0 + W_0 T</c> (equivalently, per normalizer step,
    /// <c>W_0 diag(scale)</c> and <c>b_0 - W_0 (scale ⊙ offset)</c>). Exact up to float rounding.
    /// </summary>
    /// <param name="model">The trained network's parameters.</param>
    /// <exception cref="NotSupportedException">
    /// The front has steps and the network does not start with a dense layer (a convolution cannot absorb a
    /// per-feature scale).
    /// </exception>
    public FeedForwardNetwork<float> FoldInto(JacobianRegularizedModelParameters model) => FoldInto(model.Architecture, model.Parameters);

    /// <summary>The network of <paramref name="architecture"/> and <paramref name="parameters"/> with the front folded in; see the other overload.</summary>
    /// <param name="architecture">The network's shape.</param>
    /// <param name="parameters">Its parameter buffer (copied).</param>
    /// <exception cref="NotSupportedException">The front has steps and the network does not start with a dense layer.</exception>
    public FeedForwardNetwork<float> FoldInto(NetworkArchitecture architecture, ReadOnlySpan<float> parameters) =>
        FeedForwardNetwork<float>.FromParameters(architecture, FoldedParameters(architecture, parameters));

    /// <summary>The parameter buffer with the front folded into the first dense layer (a copy).</summary>
    /// <exception cref="NotSupportedException">The front has steps and the network does not start with a dense layer.</exception>
    public float[] FoldedParameters(NetworkArchitecture architecture, ReadOnlySpan<float> original)
    {
        float[] parameters = original.ToArray();    // W_0 [H, D] row-major at 0, then b_0 [H], then later layers
        if (Steps.Count == 0) return parameters;
        if (!CanFoldInto(architecture))
        {
            throw new NotSupportedException(
                $"{Description} cannot be folded into the network {architecture}: only a first dense layer absorbs a per-feature affine map. " +
                "Normalize the features before the data reaches the model (or inside it, after the pixels are extracted) to attack it white-box.");
        }

        int d = architecture.InputSize, h = architecture.WeightLayer(0).BiasCount;
        (double[] scale, double[] shift) = Compose(d);
        for (int r = 0; r < h; r++)
        {
            Span<float> row = parameters.AsSpan(r * d, d);
            double bias = parameters[h * d + r];
            for (int j = 0; j < d; j++)
            {
                bias += (double)row[j] * shift[j];
                row[j] = (float)(row[j] * scale[j]);
            }

            parameters[h * d + r] = (float)bias;
        }

        return parameters;
    }
}
