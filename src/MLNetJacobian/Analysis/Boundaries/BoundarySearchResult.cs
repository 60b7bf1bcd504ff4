namespace MLNetJacobian.Analysis;

/// <summary>The result of searching for the decision boundary along one direction from one input.</summary>
/// <param name="Outcome">Whether a boundary was found.</param>
/// <param name="Distance">
/// When found: the smallest radius seen at which the predicted class differs, in <c>(0, MaxRadius]</c>; the boundary
/// lies within <see cref="BoundaryDistanceOptions.Resolution"/> below it. Null otherwise.
/// </param>
/// <param name="ClassAcross">When found: the class predicted at <paramref name="Distance"/>. Null otherwise.</param>
public sealed record BoundarySearchResult(BoundarySearchOutcome Outcome, double? Distance, int? ClassAcross)
{
    /// <summary>A search that saw no change of class up to the maximum radius.</summary>
    public static BoundarySearchResult NotFound { get; } = new(BoundarySearchOutcome.NotFoundWithinRadius, null, null);

    /// <summary>A search whose direction could not be formed.</summary>
    public static BoundarySearchResult Unavailable { get; } = new(BoundarySearchOutcome.DirectionUnavailable, null, null);
}
