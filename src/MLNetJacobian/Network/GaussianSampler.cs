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
}
