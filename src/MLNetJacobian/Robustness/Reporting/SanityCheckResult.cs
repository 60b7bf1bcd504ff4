namespace MLNetJacobian.Robustness;

/// <summary>One automatic check of the evaluation's trustworthiness.</summary>
/// <param name="Name">What was checked.</param>
/// <param name="Passed">Whether it passed; a failure is also listed in <see cref="RobustnessReport.Warnings"/>.</param>
/// <param name="Detail">The measured figures, and on failure what it may mean.</param>
/// <param name="WithinTolerance">
/// Passed only thanks to the tolerance: the expected order was broken, by less than <see cref="PerturbationOptions.SanityTolerance"/>
/// (for example Square slightly stronger than the best gradient attack). Shown as "within tolerance", not "ok".
/// </param>
public sealed record SanityCheckResult(string Name, bool Passed, string Detail, bool WithinTolerance = false)
{
    /// <summary>"ok", "within tolerance" or "WARNING".</summary>
    public string Status => !Passed ? "WARNING" : WithinTolerance ? "within tolerance" : "ok";
}
