using System.Numerics.Tensors;

namespace MLNetJacobian.Robustness;

/// <summary>
/// A linear multiclass classifier, optionally behind an affine per-feature normalizer, as a differentiable model:
/// <c>z = W ((x - offset) * scale) + b</c>. It is how ML.NET's linear multiclass trainers (LbfgsMaximumEntropy,
/// SdcaMaximumEntropy, SdcaNonCalibrated) and their affine normalizers are attacked in the raw input space.
/// </summary>
/// <remarks>
/// <c>W</c> is <c>[C, D]</c> row-major, <c>b</c> is <c>[C]</c>, <c>scale</c> and <c>offset</c> are <c>[D]</c>.
/// Input gradient: <c>dL/dx = scale * (W^T g)</c> with <c>g = dL/dz</c>. <see cref="ComputeScores"/> returns the
/// logits <c>z</c> (ML.NET's maximum-entropy Score column holds <c>softmax(z)</c>; the arg-max is the same).
/// </remarks>
public sealed class LinearClassifier : IDifferentiableClassifier
{
    private readonly float[] _weights;   // W: [C, D]
    private readonly float[] _biases;    // b: [C]
    private readonly float[]? _scale;    // [D] or null for the identity
    private readonly float[]? _offset;   // [D] or null for zero
    private float[] _normalized = [];    // (x - offset) * scale: [rows, D], grown on demand
    private float[] _lossGradient = [];  // g: [rows, C]

    /// <summary>Creates the classifier.</summary>
    /// <param name="weights">W, <c>[C, D]</c> row-major.</param>
    /// <param name="biases">b, <c>[C]</c>.</param>
    /// <param name="featureCount">D.</param>
    /// <param name="scale">Per-feature scale of the normalizer in front (null: none).</param>
    /// <param name="offset">Per-feature offset of the normalizer in front (null: zero).</param>
    /// <param name="description">A description for reports.</param>
    public LinearClassifier(float[] weights, float[] biases, int featureCount, float[]? scale = null, float[]? offset = null, string description = "linear classifier")
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(biases);
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "At least one feature is needed.");
        if (biases.Length < 1) throw new ArgumentException("At least one class (bias) is needed.", nameof(biases));
        if (weights.Length != biases.Length * featureCount)
        {
            throw new ArgumentException($"W must hold C x D = {biases.Length} x {featureCount} = {biases.Length * featureCount} values, not {weights.Length}.", nameof(weights));
        }

        if (scale is not null && scale.Length != featureCount) throw new ArgumentException($"The scale must hold {featureCount} values, not {scale.Length}.", nameof(scale));
        if (offset is not null && offset.Length != featureCount) throw new ArgumentException($"The offset must hold {featureCount} values, not {offset.Length}.", nameof(offset));
        _weights = weights;
        _biases = biases;
        _scale = scale;
        _offset = offset;
        FeatureCount = featureCount;
        ClassCount = biases.Length;
        Description = description;
    }

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <inheritdoc />
    public int ClassCount { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>W, <c>[C, D]</c> row-major.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>b, <c>[C]</c>.</summary>
    public ReadOnlySpan<float> Biases => _biases;

    /// <inheritdoc />
    public void ComputeScores(ReadOnlySpan<float> features, int rows, Span<float> scores)
    {
        int d = FeatureCount, c = ClassCount;
        ReadOnlySpan<float> input = Normalize(features, rows);
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> x = input.Slice(i * d, d);
            Span<float> z = scores.Slice(i * c, c);
            for (int k = 0; k < c; k++) z[k] = TensorPrimitives.Dot(_weights.AsSpan(k * d, d), x) + _biases[k];
        }
    }

    /// <inheritdoc />
    public void ComputeLossGradient(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, int rows, ILogitLoss loss,
        Span<float> logits, Span<float> lossValues, Span<float> inputGradient)
    {
        ArgumentNullException.ThrowIfNull(loss);
        int d = FeatureCount, c = ClassCount;
        ComputeScores(features, rows, logits);
        if (_lossGradient.Length < rows * c) _lossGradient = new float[rows * c];
        loss.Evaluate(logits, labels, rows, c, lossValues, _lossGradient);
        for (int i = 0; i < rows; i++)
        {
            Span<float> gradient = inputGradient.Slice(i * d, d);
            gradient.Clear();
            for (int k = 0; k < c; k++)
            {
                float g = _lossGradient[i * c + k];
                if (g != 0f) TensorPrimitives.MultiplyAdd(_weights.AsSpan(k * d, d), g, gradient, gradient);
            }

            if (_scale is not null) TensorPrimitives.Multiply(gradient, _scale, gradient);
        }
    }

    /// <inheritdoc />
    public IClassifierScores CreateThreadInstance() => new LinearClassifier(_weights, _biases, FeatureCount, _scale, _offset, Description);

    private ReadOnlySpan<float> Normalize(ReadOnlySpan<float> features, int rows)
    {
        int size = rows * FeatureCount;
        if (_scale is null && _offset is null) return features[..size];
        if (_normalized.Length < size) _normalized = new float[size];
        Span<float> normalized = _normalized.AsSpan(0, size);
        for (int i = 0; i < rows; i++)
        {
            Span<float> row = normalized.Slice(i * FeatureCount, FeatureCount);
            ReadOnlySpan<float> x = features.Slice(i * FeatureCount, FeatureCount);
            if (_offset is not null) TensorPrimitives.Subtract(x, _offset, row);
            else x.CopyTo(row);
            if (_scale is not null) TensorPrimitives.Multiply(row, _scale, row);
        }

        return normalized;
    }
}
