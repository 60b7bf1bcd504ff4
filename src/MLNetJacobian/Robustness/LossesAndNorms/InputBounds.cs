namespace MLNetJacobian.Robustness;

/// <summary>The box every input must stay in: each feature in <c>[Lower, Upper]</c> (for example [0, 1] pixels).</summary>
public readonly record struct InputBounds
{
    /// <summary>Creates bounds; <paramref name="lower"/> must be below <paramref name="upper"/>, both finite.</summary>
    /// <param name="lower">The smallest allowed feature value.</param>
    /// <param name="upper">The largest allowed feature value.</param>
    public InputBounds(float lower, float upper)
    {
        if (!float.IsFinite(lower)) throw new ArgumentOutOfRangeException(nameof(lower), lower, "The lower bound must be finite.");
        if (!float.IsFinite(upper)) throw new ArgumentOutOfRangeException(nameof(upper), upper, "The upper bound must be finite.");
        if (!(lower < upper))
        {
            throw new ArgumentException($"The lower bound ({lower}) must be below the upper bound ({upper}); were they reversed?", nameof(lower));
        }

        Lower = lower;
        Upper = upper;
    }

    /// <summary>The smallest allowed feature value.</summary>
    public float Lower { get; }

    /// <summary>The largest allowed feature value.</summary>
    public float Upper { get; }

    /// <summary>Upper minus lower.</summary>
    public float Width => Upper - Lower;

    /// <summary>Clamps every value to <c>[Lower, Upper]</c>.</summary>
    /// <param name="values">The values, updated in place.</param>
    public void Clip(Span<float> values) => ElementwiseKernels.Clip(values, Lower, Upper);

    /// <summary>Whether every value lies in <c>[Lower, Upper]</c> (NaN does not).</summary>
    /// <param name="values">The values.</param>
    public bool Contains(ReadOnlySpan<float> values)
    {
        foreach (float value in values)
        {
            if (!(value >= Lower && value <= Upper)) return false;
        }

        return true;
    }
}
