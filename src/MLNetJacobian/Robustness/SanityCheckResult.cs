namespace MLNetJacobian.Robustness;

/// <summary>One automatic check of the evaluation's trustworthiness.</summary>
/// <param name="Name">What was checked.</param>
/// <param name="Passed">Whether it passed; a failure is also listed in <see cref="RobustnessReport.Warnings"/>.</param>
/// <param name="Detail">The measured figures, and on failure what it may mean.</param>
public sealed record SanityCheckResult(string Name, bool Passed, string Detail);
