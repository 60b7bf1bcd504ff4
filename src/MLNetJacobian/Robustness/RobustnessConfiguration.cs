namespace MLNetJacobian.Robustness;

/// <summary>The settings an evaluation ran with, for the report.</summary>
/// <param name="LowerBound">The smallest valid feature value.</param>
/// <param name="UpperBound">The largest valid feature value.</param>
/// <param name="Epsilons">The epsilon grid.</param>
/// <param name="Seed">The seed of every random draw.</param>
/// <param name="MaxExamples">The row limit, if any.</param>
/// <param name="BatchSize">Rows per batch.</param>
/// <param name="ThreadCount">Threads used.</param>
/// <param name="BisectionSteps">Bisection steps per example.</param>
/// <param name="SanityExampleCount">Examples used by the sanity checks that rerun attacks.</param>
/// <param name="SanityTolerance">The tolerance of those checks.</param>
/// <param name="FeatureColumnName">The attacked column (ML.NET evaluations).</param>
/// <param name="LabelColumnName">The label column (ML.NET evaluations).</param>
public sealed record RobustnessConfiguration(float LowerBound, float UpperBound, IReadOnlyList<float> Epsilons, int Seed, int? MaxExamples,
    int BatchSize, int ThreadCount, int BisectionSteps, int SanityExampleCount, double SanityTolerance, string? FeatureColumnName, string? LabelColumnName);
