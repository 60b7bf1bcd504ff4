using System.Text.Json.Serialization;

namespace MLNetJacobian.Robustness;

/// <summary>
/// The settings an evaluation ran with, for the report: the same record for classification
/// (<see cref="RobustnessReport.Configuration"/>) and regression (<see cref="RegressionRobustnessReport.Configuration"/>).
/// </summary>
/// <param name="LowerBound">The smallest valid raw feature value (negative infinity: none).</param>
/// <param name="UpperBound">The largest valid raw feature value (positive infinity: none).</param>
/// <param name="Epsilons">The epsilon grid, in feature units.</param>
/// <param name="Seed">The seed of every random draw, as used (rerun with it to reproduce the figures).</param>
/// <param name="MaxExamples">The row limit, if any.</param>
/// <param name="BatchSize">Rows per batch.</param>
/// <param name="ThreadCount">Threads used.</param>
/// <param name="BisectionSteps">Bisection steps per example of the minimal-perturbation search (classification); null for regression, which has no such search (and then not written to JSON).</param>
/// <param name="SanityExampleCount">Examples used by the sanity checks that rerun attacks.</param>
/// <param name="SanityTolerance">The tolerance of those checks.</param>
/// <param name="FeatureColumnName">The attacked column (ML.NET evaluations).</param>
/// <param name="LabelColumnName">The label column (ML.NET evaluations).</param>
/// <param name="EpsilonSource">Where the epsilons came from: "given", or the default fractions of the input range.</param>
/// <param name="SeedSource">Where the seed came from: "given", "drawn from the MLContext's random source", or "default 0".</param>
/// <param name="AttackStrengths">Per attack, the strengths it ran at (epsilons, or the noise's sigmas) and where they came from.</param>
public sealed record RobustnessConfiguration(float LowerBound, float UpperBound, IReadOnlyList<float> Epsilons, int Seed, int? MaxExamples,
    int BatchSize, int ThreadCount, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? BisectionSteps, int SanityExampleCount, double SanityTolerance, string? FeatureColumnName, string? LabelColumnName,
    string EpsilonSource, string SeedSource, IReadOnlyDictionary<string, string> AttackStrengths)
{
    /// <summary>Which features moved and in what units epsilon is (tabular settings); null when not recorded.</summary>
    public string? PerturbationSpace { get; init; }
}
