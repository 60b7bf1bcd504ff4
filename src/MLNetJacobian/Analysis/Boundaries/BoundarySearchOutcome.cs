namespace MLNetJacobian.Analysis;

/// <summary>How a search for the decision boundary along one direction ended.</summary>
public enum BoundarySearchOutcome
{
    /// <summary>The predicted class changes within the searched radius; the distance is known.</summary>
    Found,

    /// <summary>No change of class was seen along the direction up to the maximum radius.</summary>
    NotFoundWithinRadius,

    /// <summary>The direction could not be formed (for example a zero gradient, as for a tree ensemble).</summary>
    DirectionUnavailable,
}
