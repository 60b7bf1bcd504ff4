namespace MLNetJacobian.Analysis;

public static partial class OneOutputAnalysis
{
    /// <summary>Settings of <see cref="LocalLipschitz"/>: the ball's radius, the points drawn and the ascent steps.</summary>
    public sealed record LocalLipschitzOptions
    {
        /// <summary>The L2 radius of the ball around each example, in feature units (at least 0); default 0.1.</summary>
        public double Radius { get; init; } = 0.1;

        /// <summary>Points drawn uniformly in the ball (besides the example); default 32.</summary>
        public int Samples { get; init; } = 32;

        /// <summary>Gradient-ascent steps on the gradient norm from the best point drawn; default 10 (0: sampling only).</summary>
        public int AscentSteps { get; init; } = 10;

        /// <summary>The seed of the draws; default 0.</summary>
        public int Seed { get; init; }

        internal void Validate()
        {
            if (!(Radius >= 0) || !double.IsFinite(Radius)) throw new ArgumentOutOfRangeException(nameof(Radius), Radius, "The radius must be finite and at least 0.");
            if (Samples < 0) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "Samples must be at least 0.");
            if (AscentSteps < 0) throw new ArgumentOutOfRangeException(nameof(AscentSteps), AscentSteps, "AscentSteps must be at least 0.");
        }
    }

    /// <summary>
    /// A lower bound on the local Lipschitz constant of a one-output model around one example: the largest input-gradient
    /// L2 norm found in the L2 ball (sup over the ball of <c>||grad f||_2</c> is the constant; any point found bounds it from
    /// below). One per example of <see cref="LocalLipschitz"/>.
    /// </summary>
    /// <param name="Index">The row.</param>
    /// <param name="GradientNormAtExample">||grad f(x)||_2 at the example.</param>
    /// <param name="LargestGradientNorm">The largest ||grad f||_2 found in the ball.</param>
    /// <param name="DistanceOfLargest">How far from the example it was found (at most the radius).</param>
    /// <param name="GradientEvaluations">Input gradients computed for this example.</param>
    public sealed record LocalLipschitzEstimate(int Index, double GradientNormAtExample, double LargestGradientNorm, double DistanceOfLargest, int GradientEvaluations);
}
