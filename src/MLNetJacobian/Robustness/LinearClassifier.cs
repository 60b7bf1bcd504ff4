using System.Numerics.Tensors;

namespace MLNetJacobian.Robustness;

/// <summary>
/// A linear multiclass classifier <c>z = W x + b</c> as a differentiable model. It is how ML.NET's linear multiclass
/// trainers (LbfgsMaximumEntropy, SdcaMaximumEntropy, SdcaNonCalibrated) are attacked white-box; affine normalizers
/// in front of them are folded in with <see cref="PrependAffine"/>, so the pipeline is attacked in its raw input space.
/// </summary>
/// <remarks>
/// <c>W</c> is <c>[C, D]</c> row-major, <c>b</c> is <c>[C]</c>. Input gradient: <c>dL/dx = W^T g</c> with
/// <c>g = dL/dz</c>. <see cref="ComputeScores"/> returns the logits <c>z</c> (ML.NET's maximum-entropy Score column
/// holds <c>softmax(z)</c>; the arg-max is the same, but gradients must be taken on logits).
/// </remarks>
public sealed class LinearClassifier : IDifferentiableClassifier
{
    private readonly float[] _weights;   // W: [C, D]
    private readonly float[] _biases;    // b: [C]
    private float[] _lossGradient = [];  // g: [rows, C]

    /// <summary>Creates the classifier.</summary>
    /// <param name="weights">W, <c>[C, D]</c> row-major.</param>
    /// <param name="biases">b, <c>[C]</c>.</param>
    /// <param name="featureCount">D.</param>
    /// <param name="description">A description for reports.</param>
    public LinearClassifier(float[] weights, float[] biases, int featureCount, string description = "linear classifier")
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(biases);
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "At least one feature is needed.");
        if (biases.Length < 1) throw new ArgumentException("At least one class (bias) is needed.", nameof(biases));
        if (weights.Length != biases.Length * featureCount)
        {
            throw new ArgumentException($"W must hold C x D = {biases.Length} x {featureCount} = {biases.Length * featureCount} values, not {weights.Length}.", nameof(weights));
        }

        _weights = weights;
        _biases = biases;
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
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> x = features.Slice(i * d, d);
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
        }
    }

    /// <inheritdoc />
    public IClassifierScores CreateThreadInstance() => new LinearClassifier(_weights, _biases, FeatureCount, Description);

    /// <summary>
    /// The classifier of the composition with an affine map in front, <c>x -> (x - offset) * scale</c> (ML.NET's
    /// affine normalizers): <c>W' = W diag(scale)</c>, <c>b' = b - W (offset * scale)</c>.
    /// </summary>
    /// <param name="scale">Per-feature scale, <c>[D]</c>.</param>
    /// <param name="offset">Per-feature offset, <c>[D]</c>, or empty when all offsets are zero.</param>
    /// <param name="description">The description of the composed model.</param>
    public LinearClassifier PrependAffine(ReadOnlySpan<float> scale, ReadOnlySpan<float> offset, string description)
    {
        int d = FeatureCount, c = ClassCount;
        if (scale.Length != d) throw new ArgumentException($"The scale must hold {d} values, not {scale.Length}.", nameof(scale));
        if (offset.Length != d && offset.Length != 0) throw new ArgumentException($"The offset must hold {d} or 0 values, not {offset.Length}.", nameof(offset));
        var weights = new float[c * d];
        var biases = new float[c];
        for (int k = 0; k < c; k++)
        {
            ReadOnlySpan<float> w = _weights.AsSpan(k * d, d);
            Span<float> folded = weights.AsSpan(k * d, d);
            TensorPrimitives.Multiply(w, scale, folded);
            double bias = _biases[k];
            if (offset.Length == d)
            {
                for (int j = 0; j < d; j++) bias -= (double)folded[j] * offset[j];
            }

            biases[k] = (float)bias;
        }

        return new LinearClassifier(weights, biases, d, description);
    }
}
