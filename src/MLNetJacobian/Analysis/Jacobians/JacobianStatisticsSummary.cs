using MLNetJacobian.Models;

namespace MLNetJacobian.Analysis;

/// <summary>The distribution of the Jacobian statistics over one group of examples (all, or one class).</summary>
/// <param name="Group">The group's name: "all", or a class name.</param>
/// <param name="ClassIndex">The class index for a per-class group, null for all examples.</param>
/// <param name="Count">The number of examples.</param>
/// <param name="FrobeniusNorm">Distribution of <c>||J||_F</c>.</param>
/// <param name="SpectralNorm">Distribution of <c>||J||_2</c>.</param>
/// <param name="ConditionNumber">Distribution of the condition number (infinite for rank-deficient Jacobians).</param>
/// <param name="LogAbsDeterminant">Distribution of <c>log|det J|</c> when the Jacobians are square, else null.</param>
public sealed record JacobianStatisticsSummary(
    string Group, int? ClassIndex, int Count, DistributionSummary FrobeniusNorm, DistributionSummary SpectralNorm,
    DistributionSummary ConditionNumber, DistributionSummary? LogAbsDeterminant)
{
    /// <summary>Summarizes the statistics of a non-empty group of examples.</summary>
    /// <param name="group">The group's name.</param>
    /// <param name="classIndex">The class index, or null for all examples.</param>
    /// <param name="examples">The examples, at least one.</param>
    public static JacobianStatisticsSummary Of(string group, int? classIndex, IReadOnlyList<ExampleJacobianStatistics> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException($"Group '{group}' has no examples.", nameof(examples));
        bool square = examples.All(e => e.Statistics.LogAbsDeterminant is not null);
        return new JacobianStatisticsSummary(group, classIndex, examples.Count,
            DistributionSummary.Of(examples.Select(e => e.Statistics.FrobeniusNorm)),
            DistributionSummary.Of(examples.Select(e => e.Statistics.SpectralNorm)),
            DistributionSummary.Of(examples.Select(e => e.Statistics.ConditionNumber)),
            square ? DistributionSummary.Of(examples.Select(e => e.Statistics.LogAbsDeterminant!.Value).Where(v => !double.IsNaN(v))) : null);
    }
}
