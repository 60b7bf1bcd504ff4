namespace MLNetJacobian.Robustness;

/// <summary>
/// The per-example worst case over every attack of one norm: the mean over examples of the minimum over attacks
/// (not the minimum over attacks of the mean).
/// </summary>
/// <param name="Norm">The norm.</param>
/// <param name="Attacks">The attacks combined.</param>
/// <param name="Points">One point per epsilon that any of the attacks ran at.</param>
public sealed record WorstCaseCurve(string Norm, IReadOnlyList<string> Attacks, IReadOnlyList<WorstCasePoint> Points);
