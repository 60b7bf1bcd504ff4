namespace MLNetJacobian.Training;

/// <summary>
/// A <see cref="Random"/> that can be reseeded in place (xoshiro256** seeded through splitmix64), so that a
/// batch-parallel step can give every shard its own stream each batch without allocating.
/// </summary>
/// <remarks>
/// Every public drawing method is overridden and served by the generator, so the stream is a function of the last
/// <see cref="Reseed"/> alone (the base class's own state is never used). Bounded integers are unbiased (Lemire's
/// multiply-and-reject); doubles take the top 53 bits. Not thread-safe: one instance per shard.
/// </remarks>
internal sealed class ShardRandom : Random
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator seeded with <paramref name="seed"/>.</summary>
    public ShardRandom(long seed)
        : base(0)
    {
        Reseed(seed);
    }

    /// <summary>Restarts the stream from <paramref name="seed"/>; the same seed gives the same stream.</summary>
    public void Reseed(long seed)
    {
        ulong state = unchecked((ulong)seed);
        _s0 = SplitMix(ref state);
        _s1 = SplitMix(ref state);
        _s2 = SplitMix(ref state);
        _s3 = SplitMix(ref state);
    }

    /// <inheritdoc />
    public override int Next() => (int)Below(int.MaxValue);

    /// <inheritdoc />
    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue <= 1 ? 0 : (int)Below((ulong)maxValue);
    }

    /// <inheritdoc />
    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        ulong range = (ulong)((long)maxValue - minValue);
        return range <= 1 ? minValue : (int)(minValue + (long)Below(range));
    }

    /// <inheritdoc />
    public override long NextInt64() => (long)Below(long.MaxValue);

    /// <inheritdoc />
    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue <= 1 ? 0 : (long)Below((ulong)maxValue);
    }

    /// <inheritdoc />
    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        ulong range = unchecked((ulong)maxValue - (ulong)minValue);
        return range <= 1 ? minValue : unchecked(minValue + (long)Below(range));
    }

    /// <inheritdoc />
    public override double NextDouble() => (NextBits() >> 11) * (1.0 / (1UL << 53));

    /// <inheritdoc />
    public override float NextSingle() => (NextBits() >> 40) * (1.0f / (1 << 24));

    /// <inheritdoc />
    public override void NextBytes(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        NextBytes(buffer.AsSpan());
    }

    /// <inheritdoc />
    public override void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)(NextBits() >> 56);
    }

    /// <inheritdoc />
    protected override double Sample() => NextDouble();

    /// <summary>A uniform integer in <c>[0, range)</c>, <paramref name="range"/> &gt; 0, without modulo bias.</summary>
    private ulong Below(ulong range)
    {
        ulong high = Math.BigMul(NextBits(), range, out ulong low);
        if (low < range)
        {
            ulong threshold = (0 - range) % range;
            while (low < threshold) high = Math.BigMul(NextBits(), range, out low);
        }

        return high;
    }

    /// <summary>The next 64 bits of xoshiro256**.</summary>
    private ulong NextBits()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    private static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
