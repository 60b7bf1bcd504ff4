namespace MLNetJacobian.Robustness;

/// <summary>One attack's results over its strengths.</summary>
/// <param name="Name">The attack's name.</param>
/// <param name="Norm">The ball's norm (<c>L-inf</c>, <c>L2</c>), or null for a noise attack measured by its noise scale.</param>
/// <param name="RequiresGradient">Whether the attack used input gradients (white-box).</param>
/// <param name="Settings">Every hyperparameter of the attack.</param>
/// <param name="Points">One point per strength, in increasing strength.</param>
public sealed record AttackCurve(string Name, string? Norm, bool RequiresGradient, IReadOnlyDictionary<string, string> Settings, IReadOnlyList<AttackPoint> Points);
