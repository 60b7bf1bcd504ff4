namespace MLNetJacobian.Network;

/// <summary>Standard normal draws from a <see cref="Random"/>, reproducible across platforms.</summary>
internal static class GaussianSampler
{
    /// <summary>One draw by the Box-Muller transform (two uniforms per draw).</summary>
    public static double Next(Random random)
    {
        double u1 = 1.0 - random.NextDouble();   // (0, 1]: the logarithm stays finite
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fills <paramref name="destination"/> with independent draws (<see cref="Next"/> for each).</summary>
    public static void Fill(Random random, Span<float> destination)
    {
        for (int j = 0; j < destination.Length; j++) destination[j] = (float)Next(random);
    }

    /// <summary>Fills <paramref name="destination"/> with independent draws (<see cref="Next"/> for each).</summary>
    public static void Fill(Random random, Span<double> destination)
    {
        for (int j = 0; j < destination.Length; j++) destination[j] = Next(random);
    }
}
