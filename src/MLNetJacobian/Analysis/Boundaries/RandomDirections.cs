using MLNetJacobian.Network;

namespace MLNetJacobian.Analysis;

/// <summary>Uniformly random unit directions (normalized Gaussian vectors) and the seeds that make them reproducible.</summary>
internal static class RandomDirections
{
    /// <summary>A seed for example <paramref name="exampleIndex"/> that depends only on the user's seed and the index.</summary>
    public static int SeedFor(int seed, int exampleIndex) => unchecked((seed * 486_187_739) ^ (exampleIndex * 16_777_619 + 97));

    /// <summary>Fills <paramref name="direction"/> with a unit vector drawn uniformly from the sphere.</summary>
    public static void FillUnit(Random random, Span<double> direction)
    {
        double norm;
        do
        {
            GaussianSampler.Fill(random, direction);
            norm = Norm(direction);
        }
        while (!(norm > 1e-12));

        for (int i = 0; i < direction.Length; i++) direction[i] /= norm;
    }

    /// <summary>The Euclidean norm.</summary>
    public static double Norm(ReadOnlySpan<double> vector)
    {
        double sum = 0;
        foreach (double v in vector) sum += v * v;
        return Math.Sqrt(sum);
    }
}
