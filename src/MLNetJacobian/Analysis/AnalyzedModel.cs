namespace MLNetJacobian.Analysis;

/// <summary>A model to compare in <see cref="ModelComparison"/>.</summary>
/// <param name="Name">The name shown in tables and figure titles.</param>
/// <param name="Classifier">The model as a batch classifier (an <see cref="MLNetClassifier"/> or a <see cref="NetworkClassifier{T}"/>).</param>
/// <param name="JacobianSource">
/// Where its Jacobians come from (exact for this library's networks and linear models, or a
/// <see cref="FiniteDifferenceJacobianSource"/>); null to skip the Jacobian statistics and the gradient direction.
/// </param>
public sealed record AnalyzedModel(string Name, IBatchClassifier Classifier, IJacobianSource? JacobianSource = null);
