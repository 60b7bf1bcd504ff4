using System.Globalization;
using System.Text;
using System.Text.Json;
using MLNetJacobian.IO;
using MLNetJacobian.Models;
using static MLNetJacobian.Analysis.ReportText;

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
    JacobianAnalysisReport.ClassGrouping Grouping,
    JacobianAnalysisReport.GroupSummary Overall,
    IReadOnlyList<JacobianAnalysisReport.GroupSummary> PerClass,
    IReadOnlyList<JacobianAnalysisReport.Example> LeastStable,
    IReadOnlyList<JacobianAnalysisReport.Example> Examples)
{
    /// <summary>The report as indented JSON (infinite values as the strings "Infinity" / "-Infinity").</summary>
    /// <param name="includeExamples">Include every example's statistics (large for big data sets); otherwise <c>Examples</c> is empty.</param>
    public string ToJson(bool includeExamples = false) =>
        JsonSerializer.Serialize(includeExamples ? this : this with { Examples = [] }, ReportJson.Options);

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
        foreach (GroupSummary group in PerClass.Prepend(Overall))
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
            foreach (Example example in LeastStable)
            {
                string label = example.Label is { } l ? NameOf(l) : "-";
                text.AppendLine(Invariant($"{example.Index,7} {Clip(label, 10),10} {Clip(NameOf(example.PredictedClass), 10),10} {Number(example.Statistics.SpectralNorm),9} {Number(example.Statistics.FrobeniusNorm),9} {example.Statistics.Rank,5}"));
            }
        }

        return text.ToString();
    }

    private string NameOf(int classIndex) => classIndex >= 0 && classIndex < ClassNames.Count ? ClassNames[classIndex] : classIndex.ToString(CultureInfo.InvariantCulture);

    /// <summary>The distribution of the Jacobian statistics over one group of examples (all, or one class).</summary>
    /// <param name="Group">The group's name: "all", or a class name.</param>
    /// <param name="ClassIndex">The class index for a per-class group, null for all examples.</param>
    /// <param name="Count">The number of examples.</param>
    /// <param name="FrobeniusNorm">Distribution of <c>||J||_F</c>.</param>
    /// <param name="SpectralNorm">Distribution of <c>||J||_2</c>.</param>
    /// <param name="ConditionNumber">Distribution of the condition number (infinite for rank-deficient Jacobians).</param>
    /// <param name="LogAbsDeterminant">Distribution of <c>log|det J|</c> when the Jacobians are square, else null.</param>
    public sealed record GroupSummary(
        string Group, int? ClassIndex, int Count, DistributionSummary FrobeniusNorm, DistributionSummary SpectralNorm,
        DistributionSummary ConditionNumber, DistributionSummary? LogAbsDeterminant)
    {
        /// <summary>Summarizes the statistics of a non-empty group of examples.</summary>
        /// <param name="group">The group's name.</param>
        /// <param name="classIndex">The class index, or null for all examples.</param>
        /// <param name="examples">The examples, at least one.</param>
        internal static GroupSummary Of(string group, int? classIndex, IReadOnlyList<Example> examples)
        {
            ArgumentNullException.ThrowIfNull(examples);
            if (examples.Count == 0) throw new ArgumentException($"Group '{group}' has no examples.", nameof(examples));
            bool square = examples.All(e => e.Statistics.LogAbsDeterminant is not null);
            return new GroupSummary(group, classIndex, examples.Count,
                DistributionSummary.Of(examples.Select(e => e.Statistics.FrobeniusNorm)),
                DistributionSummary.Of(examples.Select(e => e.Statistics.SpectralNorm)),
                DistributionSummary.Of(examples.Select(e => e.Statistics.ConditionNumber)),
                square ? DistributionSummary.Of(examples.Select(e => e.Statistics.LogAbsDeterminant!.Value).Where(v => !double.IsNaN(v))) : null);
        }
    }

    /// <summary>The Jacobian statistics of one example of a data set.</summary>
    /// <param name="Index">The row index in the analyzed data.</param>
    /// <param name="Label">The true class index, when the data has labels.</param>
    /// <param name="PredictedClass">The class the model predicts (arg-max of the outputs; for one output, output &gt; 0).</param>
    /// <param name="Statistics">The statistics of the Jacobian at this example.</param>
    public sealed record Example(int Index, int? Label, int PredictedClass, JacobianStatistics Statistics);

    /// <summary>How examples are grouped into classes in a per-class summary.</summary>
    public enum ClassGrouping
    {
        /// <summary>By the true label of each example.</summary>
        TrueLabel,

        /// <summary>By the class the model predicts (used when the data has no labels).</summary>
        PredictedClass,
    }
}
