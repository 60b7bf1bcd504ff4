using System.Numerics.Tensors;
using MLNetJacobian.Network;

namespace MLNetJacobian.Robustness;

/// <summary>The Euclidean norm <c>||d||_2</c>; use <see cref="PerturbationNorm.L2"/>.</summary>
/// <remarks>
/// Steepest ascent: <c>g / ||g||_2</c> (zero when <c>g = 0</c>). Projection: <c>x0 + d * min(1, eps / ||d||_2)</c>
/// with <c>d = x - x0</c>. Uniform sampling in the ball: a Gaussian direction scaled to radius
/// <c>eps * u^(1/D)</c>, <c>u ~ U(0, 1)</c>.
/// </remarks>
internal sealed class L2Norm : PerturbationNorm
{
    internal L2Norm()
    {
    }

    /// <inheritdoc />
    public override string Name => "L2";

    /// <inheritdoc />
    public override float Measure(ReadOnlySpan<float> vector) => TensorPrimitives.Norm(vector);

    /// <inheritdoc />
    public override float Distance(ReadOnlySpan<float> first, ReadOnlySpan<float> second) => TensorPrimitives.Distance(first, second);

    /// <inheritdoc />
    public override void SteepestAscentDirection(ReadOnlySpan<float> gradient, int rows, int featureCount, Span<float> direction)
    {
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> g = gradient.Slice(i * featureCount, featureCount);
            Span<float> d = direction.Slice(i * featureCount, featureCount);
            float norm = TensorPrimitives.Norm(g);
            if (norm > 0f && float.IsFinite(norm))
            {
                TensorPrimitives.Multiply(g, 1f / norm, d);
            }
            else
            {
                d.Clear();
            }
        }
    }

    /// <inheritdoc />
    public override void Project(ReadOnlySpan<float> origin, ReadOnlySpan<float> epsilons, int rows, int featureCount, Span<float> perturbed)
    {
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> x0 = origin.Slice(i * featureCount, featureCount);
            Span<float> x = perturbed.Slice(i * featureCount, featureCount);
            float eps = epsilons[i];
            float distance = TensorPrimitives.Distance(x, x0);
            if (distance <= eps) continue;
            // x <- x0 + (x - x0) * eps / distance, computed in double so the result stays inside the ball.
            double scale = (double)eps / distance;
            for (int j = 0; j < featureCount; j++) x[j] = (float)(x0[j] + (x[j] - (double)x0[j]) * scale);
        }
    }

    /// <inheritdoc />
    public override void SampleInBall(ReadOnlySpan<float> origin, ReadOnlySpan<float> epsilons, int rows, int featureCount, Random random, Span<float> destination)
    {
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> x0 = origin.Slice(i * featureCount, featureCount);
            Span<float> x = destination.Slice(i * featureCount, featureCount);
            GaussianSampler.Fill(random, x);
            float norm = TensorPrimitives.Norm(x);
            double radius = epsilons[i] * Math.Pow(random.NextDouble(), 1.0 / featureCount);
            float scale = norm > 0f ? (float)(radius / norm) : 0f;
            for (int j = 0; j < featureCount; j++) x[j] = x0[j] + scale * x[j];
        }
    }
}
