using MLNetJacobian.Models;

namespace MLNetJacobian.Analysis;

/// <summary>The distances found by a set of boundary searches.</summary>
/// <param name="SearchCount">The number of searches.</param>
/// <param name="FoundCount">How many found a boundary within the radius.</param>
/// <param name="NotFoundCount">How many saw no boundary up to the radius.</param>
/// <param name="UnavailableCount">How many had no direction (zero gradient).</param>
/// <param name="Found">The distribution of the distances that were found; null when none was.</param>
/// <param name="MedianIncludingNotFound">
/// The median over searches with a direction, counting "not found" as beyond the radius; null when more than half
/// were not found (the median is then known only to exceed the radius).
/// </param>
public sealed record BoundaryDistanceSummary(
    int SearchCount, int FoundCount, int NotFoundCount, int UnavailableCount, DistributionSummary? Found, double? MedianIncludingNotFound)
{
    /// <summary>Summarizes a set of searches.</summary>
    /// <param name="results">The searches.</param>
    public static BoundaryDistanceSummary Of(IEnumerable<BoundarySearchResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        BoundarySearchResult[] all = results.ToArray();
        double[] found = all.Where(r => r.Distance.HasValue).Select(r => r.Distance!.Value).ToArray();
        int notFound = all.Count(r => r.Outcome == BoundarySearchOutcome.NotFoundWithinRadius);
        int unavailable = all.Count(r => r.Outcome == BoundarySearchOutcome.DirectionUnavailable);
        double? median = null;
        int searched = found.Length + notFound;
        if (searched > 0)
        {
            // Not-found searches sort after every found distance; the median is known if it falls among the found ones.
            var ordered = found.Order().Select(d => (double?)d).Concat(Enumerable.Repeat<double?>(null, notFound)).ToArray();
            double? below = ordered[(searched - 1) / 2], above = ordered[searched / 2];
            median = below is { } b && above is { } a ? (a + b) / 2 : null;
        }

        return new BoundaryDistanceSummary(all.Length, found.Length, notFound, unavailable,
            found.Length > 0 ? DistributionSummary.Of(found) : null, median);
    }
}
