using MLNetJacobian.IO;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MLNetJacobian.Models;

namespace MLNetJacobian.Analysis;

/// <summary>The result of <see cref="JacobianAnalyzer"/>: distributions overall and per class, and the least stable examples.</summary>
/// <param name="OutputKind">What the source's outputs are.</param>
/// <param name="ProbabilityJacobian">Whether the statistics are of the probability Jacobian (softmax chained on the logits).</param>
/// <param name="FeatureCount">D.</param>
/// <param name="OutputCount">C.</param>
/// <param name="ClassNames">The class names.</param>
/// <param name="Grouping">How examples were assigned to classes in <paramref name="PerClass"/>.</param>
/// <param name="Overall">The distribution over all examples.</param>
/// <param name="PerClass">The distribution per class, in class order (classes with no example are left out).</param>
/// <param name="LeastStable">The examples with the largest spectral norm, largest first.</param>
/// <param name="Examples">Every example's statistics, in data order.</param>
public sealed record JacobianAnalysisReport(
    ModelOutputKind OutputKind,
    bool ProbabilityJacobian,
    int FeatureCount,
    int OutputCount,
    IReadOnlyList<string> ClassNames,
    ClassGrouping Grouping,
    JacobianStatisticsSummary Overall,
    IReadOnlyList<JacobianStatisticsSummary> PerClass,
    IReadOnlyList<ExampleJacobianStatistics> LeastStable,
    IReadOnlyList<ExampleJacobianStatistics> Examples)
{
    /// <summary>The report as indented JSON (infinite values as the strings "Infinity" / "-Infinity").</summary>
    /// <param name="includeExamples">Include every example's statistics (large for big data sets); otherwise <c>Examples</c> is empty.</param>
    public string ToJson(bool includeExamples = false) =>
        JsonSerializer.Serialize(includeExamples ? this : this with { Examples = [] }, AnalysisJson.Options);

    /// <summary>Writes <see cref="ToJson"/> to a file, atomically (a temporary file renamed onto the target).</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="overwrite">Replace an existing file (the default, as <c>mlContext.Model.Save</c> does; the write is atomic, so a failure leaves the old file whole); false to refuse one.</param>
    /// <param name="includeExamples">Include every example's statistics.</param>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false.</exception>
    public void SaveJson(string path, bool overwrite = true, bool includeExamples = false) =>
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ToJson(includeExamples)), overwrite);

    /// <summary>A plain-text table: one line per group with the median and spread of each statistic, then the least stable examples.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        string what = ProbabilityJacobian ? "probabilities" : OutputKind == ModelOutputKind.Logits ? "logits" : "scores";
        text.AppendLine(Invariant($"Jacobian of the {what}: {Overall.Count} examples, C = {OutputCount}, D = {FeatureCount}; classes by {(Grouping == ClassGrouping.TrueLabel ? "true label" : "predicted class")}"));
        bool square = Overall.LogAbsDeterminant is not null;
        text.Append(Invariant($"{"group",-10} {"n",6} | {"||J||_F median",14} {"p5",9} {"p95",9} {"mean",9} | {"||J||_2 median",14} {"p5",9} {"p95",9} | {"cond median",11} {"rank-def",8}"));
        if (square) text.Append(Invariant($" | {"log|det| median",15}"));
        text.AppendLine();
        foreach (JacobianStatisticsSummary group in PerClass.Prepend(Overall))
        {
            text.Append(Invariant($"{Clip(group.Group, 10),-10} {group.Count,6} | {Number(group.FrobeniusNorm.Median),14} {Number(group.FrobeniusNorm.Percentile5),9} {Number(group.FrobeniusNorm.Percentile95),9} {Number(group.FrobeniusNorm.Mean),9} | "));
            text.Append(Invariant($"{Number(group.SpectralNorm.Median),14} {Number(group.SpectralNorm.Percentile5),9} {Number(group.SpectralNorm.Percentile95),9} | {Number(group.ConditionNumber.Median),11} {group.ConditionNumber.InfiniteCount,8}"));
            if (square && group.LogAbsDeterminant is { } determinant) text.Append(Invariant($" | {Number(determinant.Median),15}"));
            text.AppendLine();
        }

        if (LeastStable.Count > 0)
        {
            text.AppendLine(Invariant($"Least stable examples (largest ||J||_2):"));
            text.AppendLine(Invariant($"{"index",7} {"label",10} {"predicted",10} {"||J||_2",9} {"||J||_F",9} {"rank",5}"));
            foreach (ExampleJacobianStatistics example in LeastStable)
            {
                string label = example.Label is { } l ? NameOf(l) : "-";
                text.AppendLine(Invariant($"{example.Index,7} {Clip(label, 10),10} {Clip(NameOf(example.PredictedClass), 10),10} {Number(example.Statistics.SpectralNorm),9} {Number(example.Statistics.FrobeniusNorm),9} {example.Statistics.Rank,5}"));
            }
        }

        return text.ToString();
    }

    private string NameOf(int classIndex) => classIndex >= 0 && classIndex < ClassNames.Count ? ClassNames[classIndex] : classIndex.ToString(CultureInfo.InvariantCulture);

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "~";

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
