namespace MLNetJacobian.Robustness;

/// <summary>Standard normal draws by the Box-Muller transform, from a caller-owned <see cref="Random"/>.</summary>
internal static class GaussianSampler
{
    /// <summary>Fills <paramref name="destination"/> with independent N(0, 1) values.</summary>
    public static void Fill(Random random, Span<float> destination)
    {
        int j = 0;
        while (j < destination.Length)
        {
            // u1 in (0, 1] so that log(u1) is finite.
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            double angle = 2.0 * Math.PI * u2;
            destination[j++] = (float)(radius * Math.Cos(angle));
            if (j < destination.Length) destination[j++] = (float)(radius * Math.Sin(angle));
        }
    }
}
