namespace MLNetJacobian.Robustness;

/// <summary>The result of running one attack over a set of examples (internal bookkeeping of the evaluator).</summary>
internal sealed record AttackOutcome(bool[] Fooled, long ScoreQueries, long GradientQueries, long ZeroGradientRows,
    long NonFiniteGradientRows, int OutsideBallOrBounds, double MaxViolation, TimeSpan Elapsed)
{
    public int FooledCount => Fooled.Count(f => f);
}
