using System.Globalization;

namespace MLNetJacobian.Models;

/// <summary>
/// Any model seen through a per-feature affine map of its input, <c>f(x ⊙ S + T)</c>: the map and the forwarding every
/// mapped model shares. <see cref="Create"/> returns an <see cref="AffineInputModel"/> (gradients and Jacobians through
/// the map) for a differentiable model and this black-box form otherwise, so a tree stays a black box.
/// </summary>
/// <remarks>
/// Uses: a network trained on normalized features attacked in the raw feature space, and the robustness evaluators'
/// per-feature units (<c>x = u ⊙ s</c>: epsilon in units of each feature's scale). The mapped copy of each batch goes
/// into a buffer that grows to the largest batch seen and is then reused.
/// </remarks>
internal class AffineMappedModel : IModel
{
    private readonly float[] _scale; // S: [D]
    private readonly float[] _shift; // T: [D]
    private float[] _mapped = [];    // y = x ⊙ S + T: [rows, D]

    /// <summary>Wraps <paramref name="inner"/>, which reads <c>y = x ⊙ scale + shift</c>.</summary>
    /// <exception cref="ArgumentException">The lengths are not the model's feature count, or a value is not finite.</exception>
    protected AffineMappedModel(IModel inner, float[] scale, float[] shift, string description)
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

        Inner = inner;
        _scale = scale;
        _shift = shift;
        MapDescription = description;
    }

    /// <summary>The model seen through the map: an <see cref="AffineInputModel"/> when <paramref name="inner"/> is differentiable, else a black box.</summary>
    /// <param name="inner">The model on the mapped features.</param>
    /// <param name="scale">S, <c>[D]</c>, finite.</param>
    /// <param name="shift">T, <c>[D]</c>, finite.</param>
    /// <param name="description">How the map reads in reports.</param>
    /// <exception cref="ArgumentException">The lengths are not the model's feature count, or a value is not finite.</exception>
    public static AffineMappedModel Create(IModel inner, float[] scale, float[] shift, string description) =>
        inner is IDifferentiableModel differentiable ? new AffineInputModel(differentiable, scale, shift, description) : new AffineMappedModel(inner, scale, shift, description);

    /// <summary>The model on the mapped features.</summary>
    protected IModel Inner { get; }

    /// <summary>S, <c>[D]</c>.</summary>
    protected ReadOnlySpan<float> Scale => _scale;

    /// <summary>The map, as reports show it.</summary>
    public string MapDescription { get; }

    /// <inheritdoc />
    public int FeatureCount => Inner.FeatureCount;

    /// <inheritdoc />
    public int OutputCount => Inner.OutputCount;

    /// <inheritdoc />
    public ModelTask Task => Inner.Task;

    /// <inheritdoc />
    public ModelOutputKind OutputKind => Inner.OutputKind;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => Inner.ClassNames;

    /// <inheritdoc />
    public string Description => $"{Inner.Description}, on {MapDescription}";

    /// <inheritdoc />
    public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> outputs)
    {
        ModelPredictions.CheckBatch(this, features, rows, outputs.Length, nameof(outputs));
        Inner.ComputeOutputs(Map(features, rows), rows, outputs);
    }

    /// <inheritdoc />
    public IModel CreateThreadInstance() => Create(Inner.CreateThreadInstance(), _scale, _shift, MapDescription);

    /// <summary>y = x ⊙ S + T for the rows, in this instance's buffer.</summary>
    protected ReadOnlySpan<float> Map(ReadOnlySpan<float> features, int rows)
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

/// <summary>
/// A differentiable model seen through a per-feature affine map of its input, <c>f(x ⊙ S + T)</c>: a network trained on
/// normalized features (standardized MNIST pixels, say) attacked and analysed in the raw feature space. Used where the
/// map cannot be folded into the first layer (a convolution with zero padding cannot absorb a per-pixel shift), and for
/// the robustness evaluators' per-feature units.
/// </summary>
/// <remarks>
/// Chain rule: <c>dL/dx = S ⊙ dL/dy</c> and <c>J_x = J_y diag(S)</c> with <c>y = x ⊙ S + T</c>.
/// </remarks>
internal sealed class AffineInputModel : AffineMappedModel, IDifferentiableModel, IJacobianModel
{
    /// <summary>Wraps <paramref name="inner"/>, which reads <c>y = x ⊙ scale + shift</c>.</summary>
    /// <param name="inner">The model on the mapped features; it must also be an <see cref="IJacobianModel"/> for Jacobians.</param>
    /// <param name="scale">S, one finite factor per feature (<c>[D]</c>; zero for a feature the map makes constant).</param>
    /// <param name="shift">T, one finite shift per feature (<c>[D]</c>).</param>
    /// <param name="description">How the map reads in reports, for example "pixels standardized with mean 0.1307 and std 0.3081".</param>
    /// <exception cref="ArgumentException">The lengths are not the model's feature count, or a value is not finite.</exception>
    public AffineInputModel(IDifferentiableModel inner, float[] scale, float[] shift, string description)
        : base(inner, scale, shift, description)
    {
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

    /// <inheritdoc />
    public bool IsJacobianExact => Inner is IJacobianModel { IsJacobianExact: true };

    /// <inheritdoc />
    public void ComputeInputGradient(ReadOnlySpan<float> features, int rows, IOutputGradient seed, Span<float> outputs, Span<float> inputGradient)
    {
        ModelPredictions.CheckBatch(this, features, rows, outputs.Length, nameof(outputs));
        int d = FeatureCount;
        ((IDifferentiableModel)Inner).ComputeInputGradient(Map(features, rows), rows, seed, outputs, inputGradient);
        for (int i = 0; i < rows; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(inputGradient.Slice(i * d, d), Scale, inputGradient.Slice(i * d, d));
        }
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The wrapped model gives no Jacobian.</exception>
    public void ComputeJacobian(ReadOnlySpan<float> features, Span<double> outputs, Span<double> jacobian)
    {
        if (Inner is not IJacobianModel inner) throw new NotSupportedException($"{Inner.Description} gives no Jacobian.");
        ModelPredictions.CheckJacobian(this, features, outputs.Length, jacobian.Length);
        int d = FeatureCount;
        inner.ComputeJacobian(Map(features, 1), outputs, jacobian);
        for (int k = 0; k < OutputCount; k++)
        {
            Span<double> row = jacobian.Slice(k * d, d);
            for (int j = 0; j < d; j++) row[j] *= Scale[j];
        }
    }
}
