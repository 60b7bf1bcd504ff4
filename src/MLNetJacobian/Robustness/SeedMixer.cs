namespace MLNetJacobian.Robustness;

/// <summary>Derives independent, reproducible seeds from the user's seed and a path of indices (SplitMix64).</summary>
internal static class SeedMixer
{
    public static int Derive(int seed, params ReadOnlySpan<int> path)
    {
        ulong state = (ulong)(uint)seed;
        foreach (int part in path) state = Mix(state ^ Mix((ulong)(uint)part + 0x9E3779B97F4A7C15UL));
        return (int)(Mix(state) & 0x7FFFFFFF);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
