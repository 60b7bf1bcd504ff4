using System.Globalization;
using System.Text;
using System.Text.Json;
using MLNetJacobian.IO;
using MLNetJacobian.Models;
using static MLNetJacobian.Analysis.ReportText;

namespace MLNetJacobian.Analysis;

/// <summary>The result of <see cref="DecisionBoundaryDistance"/> over a data set.</summary>
/// <param name="Options">The settings used (radius, directions, seed).</param>
/// <param name="ClassNames">The classifier's class names.</param>
/// <param name="Examples">Every example's searches, in data order.</param>
/// <param name="RandomDirections">All random-direction searches together; null when none were made.</param>
/// <param name="NearestRandomDirection">Per example, the nearest boundary over its random directions; null when none were made.</param>
/// <param name="GradientDirection">The gradient-direction searches; null when not made.</param>
/// <param name="Notices">What was skipped and why (no Jacobian source, zero gradients).</param>
public sealed record BoundaryDistanceReport(
    DecisionBoundaryDistance.Options Options,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<BoundaryDistanceReport.Example> Examples,
    BoundaryDistanceReport.Summary? RandomDirections,
    BoundaryDistanceReport.Summary? NearestRandomDirection,
    BoundaryDistanceReport.Summary? GradientDirection,
    IReadOnlyList<string> Notices)
{
    /// <summary>The report as indented JSON.</summary>
    /// <param name="includeExamples">Include every example's searches; otherwise <c>Examples</c> is empty.</param>
    public string ToJson(bool includeExamples = false) =>
        JsonSerializer.Serialize(includeExamples ? this : this with { Examples = [] }, ReportJson.Options);

    /// <summary>Writes <see cref="ToJson"/> to a file atomically.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="overwrite">Replace an existing file (the default, as <c>mlContext.Model.Save</c> does; the write is atomic, so a failure leaves the old file whole); false to refuse one.</param>
    /// <param name="includeExamples">Include every example's searches.</param>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false.</exception>
    public void SaveJson(string path, bool overwrite = true, bool includeExamples = false) =>
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ToJson(includeExamples)), overwrite);

    /// <summary>A plain-text table of the three summaries.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Distance to the decision boundary (L2, searched up to {Options.MaxRadius:G4}, resolution {Options.Resolution:G2}): {Examples.Count} examples, seed {Options.Seed}"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"direction",-22} {"searches",8} {"found",6} {"not found",9} {"no dir",6} | {"median*",8} {"p5",8} {"p25",8} {"median",8} {"p75",8} {"mean",8}"));
        Row("random", RandomDirections);
        Row("nearest of random", NearestRandomDirection);
        Row("gradient", GradientDirection);
        text.AppendLine("median* counts 'not found' as beyond the radius ('>R' when more than half were not found); the other columns are over found distances.");
        foreach (string notice in Notices) text.AppendLine("note: " + notice);
        return text.ToString();

        void Row(string name, Summary? summary)
        {
            if (summary is null) return;
            string star = summary.MedianText();
            DistributionSummary? found = summary.Found;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-22} {summary.SearchCount,8} {summary.FoundCount,6} {summary.NotFoundCount,9} {summary.UnavailableCount,6} | {star,8} {Number(found?.Percentile5),8} {Number(found?.Percentile25),8} {Number(found?.Median),8} {Number(found?.Percentile75),8} {Number(found?.Mean),8}"));
        }
    }

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
    public sealed record Summary(
        int SearchCount, int FoundCount, int NotFoundCount, int UnavailableCount, DistributionSummary? Found, double? MedianIncludingNotFound)
    {
        /// <summary>Summarizes a set of searches.</summary>
        /// <param name="results">The searches.</param>
        internal static Summary Of(IEnumerable<SearchResult> results)
        {
            ArgumentNullException.ThrowIfNull(results);
            SearchResult[] all = results.ToArray();
            double[] found = all.Where(r => r.Distance.HasValue).Select(r => r.Distance!.Value).ToArray();
            int notFound = all.Count(r => r.Outcome == SearchOutcome.NotFoundWithinRadius);
            int unavailable = all.Count(r => r.Outcome == SearchOutcome.DirectionUnavailable);
            double? median = null;
            int searched = found.Length + notFound;
            if (searched > 0)
            {
                // Not-found searches sort after every found distance; the median is known if it falls among the found ones.
                var ordered = found.Order().Select(d => (double?)d).Concat(Enumerable.Repeat<double?>(null, notFound)).ToArray();
                double? below = ordered[(searched - 1) / 2], above = ordered[searched / 2];
                median = below is { } b && above is { } a ? (a + b) / 2 : null;
            }

            return new Summary(all.Length, found.Length, notFound, unavailable,
                found.Length > 0 ? DistributionSummary.Of(found) : null, median);
        }

        /// <summary>The median counting "not found" as beyond the radius: a number, "&gt;R" when more than half were not found, "-" with no search.</summary>
        internal string MedianText() => MedianIncludingNotFound is { } median ? ReportText.Number(median) : FoundCount + NotFoundCount > 0 ? ">R" : "-";
    }

    /// <summary>The boundary searches from one example.</summary>
    /// <param name="Index">The row index in the analyzed data.</param>
    /// <param name="Label">The true class, when known.</param>
    /// <param name="PredictedClass">The class the classifier predicts at the example.</param>
    /// <param name="RandomDirections">One result per random direction.</param>
    /// <param name="GradientDirection">The result along the margin-decreasing gradient direction; null when not searched.</param>
    public sealed record Example(
        int Index, int? Label, int PredictedClass, IReadOnlyList<SearchResult> RandomDirections, SearchResult? GradientDirection)
    {
        /// <summary>The smallest distance found over the random directions; null when none found a boundary.</summary>
        public double? NearestRandomDistance => RandomDirections.Where(r => r.Distance.HasValue).Select(r => r.Distance).Min();
    }

    /// <summary>The result of searching for the decision boundary along one direction from one input.</summary>
    /// <param name="Outcome">Whether a boundary was found.</param>
    /// <param name="Distance">
    /// When found: the smallest radius seen at which the predicted class differs, in <c>(0, MaxRadius]</c>; the boundary
    /// lies within <see cref="DecisionBoundaryDistance.Options.Resolution"/> below it. Null otherwise.
    /// </param>
    /// <param name="ClassAcross">When found: the class predicted at <paramref name="Distance"/>. Null otherwise.</param>
    public sealed record SearchResult(SearchOutcome Outcome, double? Distance, int? ClassAcross)
    {
        /// <summary>A search that saw no change of class up to the maximum radius.</summary>
        internal static SearchResult NotFound { get; } = new(SearchOutcome.NotFoundWithinRadius, null, null);

        /// <summary>A search whose direction could not be formed.</summary>
        internal static SearchResult Unavailable { get; } = new(SearchOutcome.DirectionUnavailable, null, null);
    }

    /// <summary>How a search for the decision boundary along one direction ended.</summary>
    public enum SearchOutcome
    {
        /// <summary>The predicted class changes within the searched radius; the distance is known.</summary>
        Found,

        /// <summary>No change of class was seen along the direction up to the maximum radius.</summary>
        NotFoundWithinRadius,

        /// <summary>The direction could not be formed (for example a zero gradient, as for a tree ensemble).</summary>
        DirectionUnavailable,
    }
}
