using System.Numerics.Tensors;

namespace MLNetJacobian.Models;

/// <summary>
/// A model read in per-feature units: its input is <c>u = x / s</c> (feature <c>j</c> in units of its scale
/// <c>s_j</c>), it runs the wrapped model on <c>x = u * s</c>, and its input gradient is <c>s * dL/dx</c> with the
/// slots that may not move set to zero (so an L2 step is spent only on the features that move). An attack on this
/// model with radius epsilon moves each feature by at most epsilon of its own scale (L-inf).
/// </summary>
internal class ScaledInputModel : IModel
{
    private readonly float[] _scale;       // s: [D]
    private float[] _raw = [];             // x = u * s: [rows, D]

    protected ScaledInputModel(IModel inner, float[] scale, bool[]? fixedFeatures)
    {
        Inner = inner;
        _scale = scale;
        FixedFeatures = fixedFeatures;
    }

    /// <summary>Wraps <paramref name="inner"/>; the result is differentiable when the inner model is.</summary>
    /// <param name="inner">The model in raw units.</param>
    /// <param name="scale">s, <c>[D]</c>, each positive and finite.</param>
    /// <param name="fixedFeatures">Per feature, whether it may not move (its gradient is zeroed); null when all may.</param>
    public static IModel Create(IModel inner, float[] scale, bool[]? fixedFeatures) =>
        inner is IDifferentiableModel ? new Differentiable(inner, scale, fixedFeatures) : new ScaledInputModel(inner, scale, fixedFeatures);

    /// <summary>The model in raw units.</summary>
    public IModel Inner { get; }

    /// <summary>Per feature, whether it may not move.</summary>
    protected bool[]? FixedFeatures { get; }

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
    public string Description => Inner.Description;

    /// <inheritdoc />
    public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> outputs) => Inner.ComputeOutputs(ToRaw(features, rows), rows, outputs);

    /// <inheritdoc />
    public IModel CreateThreadInstance() => Create(Inner.CreateThreadInstance(), _scale, FixedFeatures);

    /// <summary>x = u * s for the rows, in this instance's buffer.</summary>
    protected ReadOnlySpan<float> ToRaw(ReadOnlySpan<float> features, int rows)
    {
        int d = FeatureCount;
        ModelPredictions.CheckBatch(this, features, rows, int.MaxValue, "outputs");
        if (_raw.Length < rows * d) _raw = new float[rows * d];
        for (int i = 0; i < rows; i++) TensorPrimitives.Multiply(features.Slice(i * d, d), _scale, _raw.AsSpan(i * d, d));
        return _raw.AsSpan(0, rows * d);
    }

    /// <summary>dL/du = s * dL/dx, zero on the fixed slots, in place.</summary>
    protected void ToScaledGradient(Span<float> gradient, int rows)
    {
        int d = FeatureCount;
        for (int i = 0; i < rows; i++)
        {
            Span<float> row = gradient.Slice(i * d, d);
            TensorPrimitives.Multiply(row, _scale, row);
            if (FixedFeatures is { } fixedFeatures)
            {
                for (int j = 0; j < d; j++)
                {
                    if (fixedFeatures[j]) row[j] = 0f;
                }
            }
        }
    }

    private sealed class Differentiable(IModel inner, float[] scale, bool[]? fixedFeatures)
        : ScaledInputModel(inner, scale, fixedFeatures), IDifferentiableModel
    {
        public void ComputeInputGradient(ReadOnlySpan<float> features, int rows, IOutputGradient seed, Span<float> outputs, Span<float> inputGradient)
        {
            ((IDifferentiableModel)Inner).ComputeInputGradient(ToRaw(features, rows), rows, seed, outputs, inputGradient);
            ToScaledGradient(inputGradient, rows);
        }
    }
}
