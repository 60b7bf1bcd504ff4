using MLNetJacobian.IO;
using System.Globalization;
using System.Text;
using System.Text.Json;

using MLNetJacobian.Models;

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
    BoundaryDistanceOptions Options,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<ExampleBoundaryDistances> Examples,
    BoundaryDistanceSummary? RandomDirections,
    BoundaryDistanceSummary? NearestRandomDirection,
    BoundaryDistanceSummary? GradientDirection,
    IReadOnlyList<string> Notices)
{
    /// <summary>The report as indented JSON.</summary>
    /// <param name="includeExamples">Include every example's searches; otherwise <c>Examples</c> is empty.</param>
    public string ToJson(bool includeExamples = false) =>
        JsonSerializer.Serialize(includeExamples ? this : this with { Examples = [] }, AnalysisJson.Options);

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

        void Row(string name, BoundaryDistanceSummary? summary)
        {
            if (summary is null) return;
            string Number(double? v) => v is { } x ? x.ToString("G4", CultureInfo.InvariantCulture) : "-";
            string star = summary.MedianIncludingNotFound is { } m ? Number(m) : summary.FoundCount + summary.NotFoundCount > 0 ? ">R" : "-";
            DistributionSummary? found = summary.Found;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-22} {summary.SearchCount,8} {summary.FoundCount,6} {summary.NotFoundCount,9} {summary.UnavailableCount,6} | {star,8} {Number(found?.Percentile5),8} {Number(found?.Percentile25),8} {Number(found?.Median),8} {Number(found?.Percentile75),8} {Number(found?.Mean),8}"));
        }
    }
}
