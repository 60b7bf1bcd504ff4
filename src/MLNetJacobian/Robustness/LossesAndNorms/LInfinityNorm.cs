using System.Numerics.Tensors;

namespace MLNetJacobian.Robustness;

/// <summary>The L-infinity norm <c>||d||_inf = max_j |d_j|</c>; use <see cref="PerturbationNorm.LInfinity"/>.</summary>
/// <remarks>
/// Steepest ascent: <c>sign(g)</c> (with <c>sign(0) = 0</c>). Projection: clamp each feature to
/// <c>[x0_j - eps, x0_j + eps]</c>. Uniform sampling: <c>x0_j + eps * u_j</c>, <c>u_j ~ U(-1, 1)</c>.
/// </remarks>
internal sealed class LInfinityNorm : PerturbationNorm
{
    internal LInfinityNorm()
    {
    }

    /// <inheritdoc />
    public override string Name => "L-inf";

    /// <inheritdoc />
    public override float Measure(ReadOnlySpan<float> vector) => vector.Length == 0 ? 0f : Math.Abs(TensorPrimitives.MaxMagnitude(vector));

    /// <inheritdoc />
    public override float Distance(ReadOnlySpan<float> first, ReadOnlySpan<float> second)
    {
        float largest = 0f;
        for (int j = 0; j < first.Length; j++) largest = Math.Max(largest, Math.Abs(first[j] - second[j]));
        return largest;
    }

    /// <inheritdoc />
    public override void SteepestAscentDirection(ReadOnlySpan<float> gradient, int rows, int featureCount, Span<float> direction)
    {
        int count = rows * featureCount;
        ElementwiseKernels.Sign(gradient[..count], direction[..count]);
    }

    /// <inheritdoc />
    public override void Project(ReadOnlySpan<float> origin, ReadOnlySpan<float> epsilons, int rows, int featureCount, Span<float> perturbed)
    {
        for (int i = 0; i < rows; i++)
        {
            ElementwiseKernels.ClampAround(perturbed.Slice(i * featureCount, featureCount), origin.Slice(i * featureCount, featureCount), epsilons[i]);
        }
    }

    /// <inheritdoc />
    public override void SampleInBall(ReadOnlySpan<float> origin, ReadOnlySpan<float> epsilons, int rows, int featureCount, Random random, Span<float> destination)
    {
        for (int i = 0; i < rows; i++)
        {
            float eps = epsilons[i];
            ReadOnlySpan<float> x0 = origin.Slice(i * featureCount, featureCount);
            Span<float> x = destination.Slice(i * featureCount, featureCount);
            for (int j = 0; j < featureCount; j++) x[j] = x0[j] + eps * (2f * random.NextSingle() - 1f);
        }
    }
}
