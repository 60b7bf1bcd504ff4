using System.Globalization;

namespace MLNetJacobian.Models;

/// <summary>
/// A differentiable model seen through a per-feature affine map of its input, <c>f(x ⊙ S + T)</c>: a network trained on
/// normalized features (standardized MNIST pixels, say) attacked and analysed in the raw feature space. Used where the
/// map cannot be folded into the first layer (a convolution with zero padding cannot absorb a per-pixel shift).
/// </summary>
/// <remarks>
/// Chain rule: <c>dL/dx = S ⊙ dL/dy</c> and <c>J_x = J_y diag(S)</c> with <c>y = x ⊙ S + T</c>. The mapped copy of each
/// batch goes into a buffer that grows to the largest batch seen and is then reused.
/// </remarks>
internal sealed class AffineInputModel : IDifferentiableModel, IJacobianModel
{
    private readonly IDifferentiableModel _inner;
    private readonly float[] _scale; // S: [D]
    private readonly float[] _shift; // T: [D]
    private float[] _mapped = [];    // y = x ⊙ S + T: [rows, D]

    /// <summary>Wraps <paramref name="inner"/>, which reads <c>y = x ⊙ scale + shift</c>.</summary>
    /// <param name="inner">The model on the mapped features; it must also be an <see cref="IJacobianModel"/> for Jacobians.</param>
    /// <param name="scale">S, one finite factor per feature (<c>[D]</c>; zero for a feature the map makes constant).</param>
    /// <param name="shift">T, one finite shift per feature (<c>[D]</c>).</param>
    /// <param name="description">How the map reads in reports, for example "pixels standardized with mean 0.1307 and std 0.3081".</param>
    /// <exception cref="ArgumentException">The lengths are not the model's feature count, or a value is not finite.</exception>
    public AffineInputModel(IDifferentiableModel inner, float[] scale, float[] shift, string description)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(shift);
        if (scale.Length != inner.FeatureCount || shift.Length != inner.FeatureCount)
        {
            throw new ArgumentException($"The affine map has {scale.Length} factors and {shift.Length} shifts; the model reads {inner.FeatureCount} features.", nameof(scale));
        }

        for (int j = 0; j < scale.Length; j++)
        {
            if (!float.IsFinite(scale[j]) || !float.IsFinite(shift[j]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Feature {j} of the affine map has factor {scale[j]} and shift {shift[j]}; both must be finite."), nameof(scale));
            }
        }

        _inner = inner;
        _scale = scale;
        _shift = shift;
        MapDescription = description;
    }

    /// <summary>Standardization of every feature with one mean and deviation: <c>y = (x - mean) / deviation</c>.</summary>
    /// <param name="inner">The model on standardized features.</param>
    /// <param name="mean">The mean subtracted.</param>
    /// <param name="deviation">The deviation divided by (finite, non-zero).</param>
    public static AffineInputModel Standardized(IDifferentiableModel inner, float mean, float deviation)
    {
        ArgumentNullException.ThrowIfNull(inner);
        int d = inner.FeatureCount;
        return new AffineInputModel(inner, Enumerable.Repeat(1 / deviation, d).ToArray(), Enumerable.Repeat(-mean / deviation, d).ToArray(),
            string.Create(CultureInfo.InvariantCulture, $"features standardized with mean {mean} and deviation {deviation}"));
    }

    /// <summary>The map, as reports show it.</summary>
    public string MapDescription { get; }

    /// <inheritdoc />
    public int FeatureCount => _inner.FeatureCount;

    /// <inheritdoc />
    public int OutputCount => _inner.OutputCount;

    /// <inheritdoc />
    public ModelTask Task => _inner.Task;

    /// <inheritdoc />
    public ModelOutputKind OutputKind => _inner.OutputKind;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => _inner.ClassNames;

    /// <inheritdoc />
    public string Description => $"{_inner.Description}, on {MapDescription}";

    /// <inheritdoc />
    public bool IsJacobianExact => _inner is IJacobianModel { IsJacobianExact: true };

    /// <inheritdoc />
    public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> outputs)
    {
        ModelPredictions.CheckBatch(this, features, rows, outputs.Length, nameof(outputs));
        _inner.ComputeOutputs(Map(features, rows), rows, outputs);
    }

    /// <inheritdoc />
    public void ComputeInputGradient(ReadOnlySpan<float> features, int rows, IOutputGradient seed, Span<float> outputs, Span<float> inputGradient)
    {
        ModelPredictions.CheckBatch(this, features, rows, outputs.Length, nameof(outputs));
        int d = FeatureCount;
        _inner.ComputeInputGradient(Map(features, rows), rows, seed, outputs, inputGradient);
        for (int i = 0; i < rows; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(inputGradient.Slice(i * d, d), _scale, inputGradient.Slice(i * d, d));
        }
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The wrapped model gives no Jacobian.</exception>
    public void ComputeJacobian(ReadOnlySpan<float> features, Span<double> outputs, Span<double> jacobian)
    {
        if (_inner is not IJacobianModel inner) throw new NotSupportedException($"{_inner.Description} gives no Jacobian.");
        ModelPredictions.CheckJacobian(this, features, outputs.Length, jacobian.Length);
        int d = FeatureCount;
        inner.ComputeJacobian(Map(features, 1), outputs, jacobian);
        for (int k = 0; k < OutputCount; k++)
        {
            Span<double> row = jacobian.Slice(k * d, d);
            for (int j = 0; j < d; j++) row[j] *= _scale[j];
        }
    }

    /// <inheritdoc />
    public IModel CreateThreadInstance() =>
        new AffineInputModel((IDifferentiableModel)_inner.CreateThreadInstance(), _scale, _shift, MapDescription);

    private ReadOnlySpan<float> Map(ReadOnlySpan<float> features, int rows)
    {
        int d = FeatureCount, length = rows * d;
        if (_mapped.Length < length) _mapped = new float[length];
        for (int i = 0; i < rows; i++)
        {
            Span<float> target = _mapped.AsSpan(i * d, d);
            System.Numerics.Tensors.TensorPrimitives.FusedMultiplyAdd(features.Slice(i * d, d), _scale, _shift, target);
        }

        return _mapped.AsSpan(0, length);
    }
}
