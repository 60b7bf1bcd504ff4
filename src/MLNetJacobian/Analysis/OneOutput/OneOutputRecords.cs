using MLNetJacobian.Models;

namespace MLNetJacobian.Analysis;

/// <summary>The input gradient of a one-output model at one example.</summary>
/// <param name="Index">The row.</param>
/// <param name="Output">f(x): the logit of a binary classifier or the prediction of a regressor.</param>
/// <param name="Gradient">df/dx_j per feature, in the model's output units per raw feature unit.</param>
/// <param name="L2Norm">The Euclidean norm of the gradient.</param>
/// <param name="L1Norm">The sum of the absolute components (the rate of change under an L-inf perturbation).</param>
/// <param name="Shares">Per feature, <c>|g_j| / sum_k |g_k|</c> (zeros for a zero gradient).</param>
public sealed record ExampleInputGradient(int Index, double Output, IReadOnlyList<double> Gradient, double L2Norm, double L1Norm, IReadOnlyList<double> Shares);

/// <summary>A feature's mean share of the input gradient over the examples.</summary>
/// <param name="Feature">The slot index.</param>
/// <param name="Name">Its name (the slot name, or the index).</param>
/// <param name="MeanShare">Mean of <c>|g_j| / sum_k |g_k|</c> over the examples.</param>
/// <param name="MeanAbsoluteGradient">Mean of <c>|g_j|</c> over the examples.</param>
public sealed record FeatureGradientShare(int Feature, string Name, double MeanShare, double MeanAbsoluteGradient);

/// <summary>The input gradients of a one-output model over a set of examples.</summary>
/// <param name="Model">The model's description.</param>
/// <param name="IsExact">Whether the gradients are exact (false: central differences of a black box).</param>
/// <param name="Examples">Per example.</param>
/// <param name="L2Norms">The distribution of the gradient's L2 norm.</param>
/// <param name="Features">Per feature, its mean share, largest first.</param>
public sealed record InputGradientReport(string Model, bool IsExact, IReadOnlyList<ExampleInputGradient> Examples, DistributionSummary L2Norms,
    IReadOnlyList<FeatureGradientShare> Features);

/// <summary>One model's predictions along a response curve.</summary>
/// <param name="Name">The model's display name.</param>
/// <param name="Predictions">f at each value of the feature (the others held at the example's values).</param>
/// <param name="AtExample">f at the example itself.</param>
public sealed record ResponseCurveSeries(string Name, IReadOnlyList<double> Predictions, double AtExample);

/// <summary>Several models' predictions as one feature moves and the others stay at an example's values.</summary>
/// <param name="Feature">The slot index moved.</param>
/// <param name="FeatureName">Its name.</param>
/// <param name="ExampleValue">The example's value of the feature.</param>
/// <param name="Values">The feature's values, increasing.</param>
/// <param name="Series">One per model.</param>
public sealed record ResponseCurve(int Feature, string FeatureName, double ExampleValue, IReadOnlyList<double> Values, IReadOnlyList<ResponseCurveSeries> Series);

/// <summary>Settings of the local Lipschitz estimate.</summary>
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
/// L2 norm found in the L2 ball (sup over the ball of <c>||grad f||_2</c> is the constant; any point found bounds it from below).
/// </summary>
/// <param name="Index">The row.</param>
/// <param name="GradientNormAtExample">||grad f(x)||_2 at the example.</param>
/// <param name="LargestGradientNorm">The largest ||grad f||_2 found in the ball.</param>
/// <param name="DistanceOfLargest">How far from the example it was found (at most the radius).</param>
/// <param name="GradientEvaluations">Input gradients computed for this example.</param>
public sealed record LocalLipschitzEstimate(int Index, double GradientNormAtExample, double LargestGradientNorm, double DistanceOfLargest, int GradientEvaluations);
