using MLNetJacobian.Models;

namespace MLNetJacobian.Analysis;

/// <summary>The input gradients of a one-output model over a set of examples (<see cref="OneOutputAnalysis.InputGradients"/>).</summary>
/// <param name="Model">The model's description.</param>
/// <param name="IsExact">Whether the gradients are exact (false: central differences of a black box).</param>
/// <param name="Examples">Per example.</param>
/// <param name="L2Norms">The distribution of the gradient's L2 norm.</param>
/// <param name="Features">Per feature, its mean share, largest first.</param>
public sealed record InputGradientReport(string Model, bool IsExact, IReadOnlyList<InputGradientReport.Example> Examples, DistributionSummary L2Norms,
    IReadOnlyList<InputGradientReport.FeatureShare> Features)
{
    /// <summary>The input gradient of a one-output model at one example.</summary>
    /// <param name="Index">The row.</param>
    /// <param name="Output">f(x): the logit of a binary classifier or the prediction of a regressor.</param>
    /// <param name="Gradient">df/dx_j per feature, in the model's output units per raw feature unit.</param>
    /// <param name="L2Norm">The Euclidean norm of the gradient.</param>
    /// <param name="L1Norm">The sum of the absolute components (the rate of change under an L-inf perturbation).</param>
    /// <param name="Shares">Per feature, <c>|g_j| / sum_k |g_k|</c> (zeros for a zero gradient).</param>
    public sealed record Example(int Index, double Output, IReadOnlyList<double> Gradient, double L2Norm, double L1Norm, IReadOnlyList<double> Shares);

    /// <summary>A feature's mean share of the input gradient over the examples.</summary>
    /// <param name="Feature">The slot index.</param>
    /// <param name="Name">Its name (the slot name, or the index).</param>
    /// <param name="MeanShare">Mean of <c>|g_j| / sum_k |g_k|</c> over the examples.</param>
    /// <param name="MeanAbsoluteGradient">Mean of <c>|g_j|</c> over the examples.</param>
    public sealed record FeatureShare(int Feature, string Name, double MeanShare, double MeanAbsoluteGradient);
}

