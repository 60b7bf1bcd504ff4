using MLNetJacobian.Robustness;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>What <c>demo</c> and <c>compare</c> measured for one model.</summary>
/// <param name="Model">The model.</param>
/// <param name="Robustness">The robustness report.</param>
/// <param name="MeanJacobianNorm">The mean <c>||J||_F</c> over the analyzed rows, or null when not measured.</param>
/// <param name="JacobianKind">What that Jacobian differentiates and how (for example <c>logits, exact</c>).</param>
/// <param name="Noise">Gaussian noise per sigma, one-draw and worst-of-K (empty when not measured).</param>
internal sealed record ModelEvaluation(TrainedModel Model, RobustnessReport Robustness, double? MeanJacobianNorm, string JacobianKind,
    IReadOnlyList<NoisePoint>? Noise = null);
