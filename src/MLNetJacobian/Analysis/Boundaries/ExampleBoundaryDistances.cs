namespace MLNetJacobian.Analysis;

/// <summary>The boundary searches from one example.</summary>
/// <param name="Index">The row index in the analyzed data.</param>
/// <param name="Label">The true class, when known.</param>
/// <param name="PredictedClass">The class the classifier predicts at the example.</param>
/// <param name="RandomDirections">One result per random direction.</param>
/// <param name="GradientDirection">The result along the margin-decreasing gradient direction; null when not searched.</param>
public sealed record ExampleBoundaryDistances(
    int Index, int? Label, int PredictedClass, IReadOnlyList<BoundarySearchResult> RandomDirections, BoundarySearchResult? GradientDirection)
{
    /// <summary>The smallest distance found over the random directions; null when none found a boundary.</summary>
    public double? NearestRandomDistance => RandomDirections.Where(r => r.Distance.HasValue).Select(r => r.Distance).Min();
}
