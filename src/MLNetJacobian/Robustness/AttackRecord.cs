namespace MLNetJacobian.Robustness;

/// <summary>An attack that ran, with its outcome at each strength (internal bookkeeping of the evaluator).</summary>
internal sealed record AttackRecord(int Index, Attack Attack, float[] Strengths, AttackOutcome[] Outcomes)
{
    /// <summary>Whether the attack fooled the <paramref name="k"/>-th attacked example at strength <paramref name="s"/>.</summary>
    public bool Fooled(int s, int k) => Outcomes[s].Fooled[k];
}
