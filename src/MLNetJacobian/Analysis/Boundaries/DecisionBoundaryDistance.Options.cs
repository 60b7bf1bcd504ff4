namespace MLNetJacobian.Analysis;

public static partial class DecisionBoundaryDistance
{
    /// <summary>Settings of <see cref="DecisionBoundaryDistance"/> (the search radius, directions, seed and columns).</summary>
    /// <remarks>
    /// Along each unit direction <c>d</c> from <c>x</c>, the class is checked at the <see cref="ScanSteps"/> radii
    /// <c>r_k = MaxRadius * k / ScanSteps</c>; the first radius where it differs from the class at <c>x</c> brackets the
    /// boundary in <c>(r_{k-1}, r_k]</c>, which <see cref="BisectionSteps"/> halvings narrow down. A boundary that is
    /// crossed and re-crossed between two scan radii is missed: more scan steps lower that risk. Distances are Euclidean
    /// (L2) in feature units; points are not clipped to any input range.
    /// </remarks>
    public sealed record Options
    {
        /// <summary>The largest radius searched, in feature units (L2). Default 4 (pixels scaled to [0, 1]).</summary>
        public double MaxRadius { get; init; } = 4.0;

        /// <summary>Random unit directions per example (uniform on the sphere). Default 8; 0 for none.</summary>
        public int RandomDirectionCount { get; init; } = 8;

        /// <summary>Radii checked along each direction before bisection. Default 16.</summary>
        public int ScanSteps { get; init; } = 16;

        /// <summary>Halvings of the bracketing interval. Default 16.</summary>
        public int BisectionSteps { get; init; } = 16;

        /// <summary>The seed of the random directions; example <c>i</c>'s directions depend only on the seed and <c>i</c>.</summary>
        public int Seed { get; init; }

        /// <summary>Also search along the direction that most decreases the margin (needs a Jacobian source). Default true.</summary>
        public bool IncludeGradientDirection { get; init; } = true;

        /// <summary>The feature column of an analyzed data view.</summary>
        public string FeatureColumnName { get; init; } = "Features";

        /// <summary>The label column of an analyzed data view; null when there is none.</summary>
        public string? LabelColumnName { get; init; } = "Label";

        /// <summary>Analyze at most this many rows (the first ones); null for all.</summary>
        public int? MaxExamples { get; init; }

        /// <summary>The width of the final bracket: <c>MaxRadius / ScanSteps / 2^BisectionSteps</c>.</summary>
        public double Resolution => MaxRadius / ScanSteps / Math.Pow(2, BisectionSteps);

        internal void Validate()
        {
            if (!(MaxRadius > 0) || !double.IsFinite(MaxRadius)) throw new ArgumentOutOfRangeException(nameof(MaxRadius), MaxRadius, "The maximum radius must be positive and finite.");
            if (RandomDirectionCount < 0) throw new ArgumentOutOfRangeException(nameof(RandomDirectionCount), RandomDirectionCount, "The number of random directions cannot be negative.");
            if (ScanSteps < 1) throw new ArgumentOutOfRangeException(nameof(ScanSteps), ScanSteps, "At least one scan step is needed.");
            if (BisectionSteps < 0 || BisectionSteps > 60) throw new ArgumentOutOfRangeException(nameof(BisectionSteps), BisectionSteps, "Bisection steps must be in [0, 60].");
            if (MaxExamples is { } max && max < 1) throw new ArgumentOutOfRangeException(nameof(MaxExamples), max, "MaxExamples must be at least 1 (or null for all rows).");
            if (RandomDirectionCount == 0 && !IncludeGradientDirection) throw new ArgumentException("No direction to search: set RandomDirectionCount above 0 or IncludeGradientDirection.", nameof(RandomDirectionCount));
            ArgumentException.ThrowIfNullOrEmpty(FeatureColumnName, nameof(FeatureColumnName));
        }
    }
}
