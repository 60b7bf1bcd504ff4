using System.Numerics;
using System.Numerics.Tensors;

namespace MLNetJacobian.Robustness;

/// <summary>The element-wise steps of the attacks, vectorised with <see cref="Vector{T}"/> where TensorPrimitives lacks them.</summary>
internal static class ElementwiseKernels
{
    /// <summary><c>destination_j = sign(source_j)</c> with <c>sign(0) = 0</c> (NaN gives 0).</summary>
    public static void Sign(ReadOnlySpan<float> source, Span<float> destination)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            var minusOne = -Vector<float>.One;
            var zero = Vector<float>.Zero;
            for (; j <= source.Length - Vector<float>.Count; j += Vector<float>.Count)
            {
                var v = new Vector<float>(source[j..]);
                var result = Vector.ConditionalSelect(Vector.GreaterThan(v, zero), one, Vector.ConditionalSelect(Vector.LessThan(v, zero), minusOne, zero));
                result.CopyTo(destination[j..]);
            }
        }

        for (; j < source.Length; j++)
        {
            float value = source[j];
            destination[j] = value > 0f ? 1f : value < 0f ? -1f : 0f;
        }
    }

    /// <summary><c>x_j = min(max(x_j, center_j - radius), center_j + radius)</c>.</summary>
    public static void ClampAround(Span<float> x, ReadOnlySpan<float> center, float radius)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var r = new Vector<float>(radius);
            for (; j <= x.Length - Vector<float>.Count; j += Vector<float>.Count)
            {
                var c = new Vector<float>(center[j..]);
                var v = new Vector<float>(x[j..]);
                Vector.Min(Vector.Max(v, c - r), c + r).CopyTo(x[j..]);
            }
        }

        for (; j < x.Length; j++)
        {
            float low = center[j] - radius, high = center[j] + radius, value = x[j];
            x[j] = value < low ? low : value > high ? high : value;
        }
    }

    /// <summary><c>x_j = min(max(x_j, lower), upper)</c>.</summary>
    public static void Clip(Span<float> x, float lower, float upper) => TensorPrimitives.Clamp(x, lower, upper, x);

    /// <summary><c>x_j += scale * direction_j</c>.</summary>
    public static void AddScaled(Span<float> x, ReadOnlySpan<float> direction, float scale) => TensorPrimitives.MultiplyAdd(direction, scale, x, x);
}
