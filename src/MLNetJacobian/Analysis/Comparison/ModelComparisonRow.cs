namespace MLNetJacobian.Analysis;

/// <summary>One model's line in a <see cref="ModelComparisonReport"/>.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="ExampleCount">The rows used for accuracy and Jacobian statistics.</param>
/// <param name="Accuracy">The fraction of those rows classified correctly.</param>
/// <param name="Jacobian">The Jacobian statistics; null when the model has no Jacobian source.</param>
/// <param name="Boundary">The boundary distances.</param>
/// <param name="RandomPlaneCellFractions">For each figure example, the share of the random-plane map in the input's cell.</param>
public sealed record ModelComparisonRow(
    string Name, int ExampleCount, double Accuracy, JacobianAnalysisReport? Jacobian, BoundaryDistanceReport Boundary,
    IReadOnlyList<double> RandomPlaneCellFractions);
