namespace MLNetJacobian.Robustness;

/// <summary>
/// The box every input must stay in: each feature in <c>[Lower, Upper]</c> (for example [0, 1] pixels), or, for a
/// tabular evaluation in per-feature units, feature <c>j</c> in <c>[lower_j, upper_j]</c>.
/// </summary>
public readonly record struct InputBounds
{
    private readonly float[]? _lower;   // per feature: [D], or null for the scalar box
    private readonly float[]? _upper;   // per feature: [D]

    /// <summary>Creates bounds; <paramref name="lower"/> must be below <paramref name="upper"/>, both finite.</summary>
    /// <param name="lower">The smallest allowed feature value.</param>
    /// <param name="upper">The largest allowed feature value.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite.</exception>
    /// <exception cref="ArgumentException">The lower bound is not below the upper one.</exception>
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

    /// <summary>Per-feature bounds (each <c>lower_j &lt; upper_j</c>); <see cref="Lower"/> and <see cref="Upper"/> become the widest.</summary>
    internal InputBounds(float[] lower, float[] upper)
    {
        _lower = lower;
        _upper = upper;
        Lower = lower.Min();
        Upper = upper.Max();
    }

    /// <summary>The smallest allowed feature value (per-feature bounds: the smallest of them).</summary>
    public float Lower { get; }

    /// <summary>The largest allowed feature value (per-feature bounds: the largest of them).</summary>
    public float Upper { get; }

    /// <summary>Upper minus lower.</summary>
    public float Width => Upper - Lower;

    /// <summary>Whether each feature has its own bounds.</summary>
    internal bool IsPerFeature => _lower is not null;

    /// <summary>Clamps every value to the bounds (rows of D features when the bounds are per feature).</summary>
    /// <param name="values">The values, updated in place.</param>
    public void Clip(Span<float> values)
    {
        if (_lower is null)
        {
            ElementwiseKernels.Clip(values, Lower, Upper);
            return;
        }

        int d = _lower.Length;
        for (int start = 0; start < values.Length; start += d)
        {
            Span<float> row = values.Slice(start, d);
            for (int j = 0; j < d; j++) row[j] = Math.Clamp(row[j], _lower[j], _upper![j]);
        }
    }

    /// <summary>Feature <paramref name="feature"/>'s value clamped to its bounds.</summary>
    internal float Clamp(float value, int feature)
    {
        float lower = _lower is null ? Lower : _lower[feature], upper = _upper is null ? Upper : _upper[feature];
        return value < lower ? lower : value > upper ? upper : value;
    }

    /// <summary>The first value outside the bounds (its index in <paramref name="values"/>), or -1 when all lie inside (NaN does not).</summary>
    internal int FirstOutside(ReadOnlySpan<float> values)
    {
        int d = _lower?.Length ?? 1;
        for (int i = 0; i < values.Length; i++)
        {
            int j = i % d;
            float lower = _lower is null ? Lower : _lower[j], upper = _upper is null ? Upper : _upper[j];
            if (!(values[i] >= lower && values[i] <= upper)) return i;
        }

        return -1;
    }

    /// <summary>Whether every value lies inside the bounds (NaN does not).</summary>
    /// <param name="values">The values (rows of D features when the bounds are per feature).</param>
    public bool Contains(ReadOnlySpan<float> values) => FirstOutside(values) < 0;
}
