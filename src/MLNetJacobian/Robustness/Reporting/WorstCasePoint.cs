namespace MLNetJacobian.Robustness;

/// <summary>The per-example worst case over attacks at one epsilon.</summary>
/// <param name="Epsilon">The radius.</param>
/// <param name="RobustAccuracy">Fraction of ALL examples that every attack of the norm failed on at every radius up
/// to this one (an adversarial input found at a smaller radius is also one at this radius).</param>
public sealed record WorstCasePoint(double Epsilon, double RobustAccuracy);
