namespace MLNetJacobian.Robustness;

/// <summary>
/// The result of running one attack over a set of examples (internal bookkeeping of the evaluator): per attacked example,
/// fooled or not, the perturbation's norm (the attack's, L2 for noise without a ball), the adversarial prediction and,
/// when asked for, the adversarial input (<c>[examples, D]</c>); then the query counts and checks.
/// </summary>
internal sealed record AttackOutcome(bool[] Fooled, float[] PerturbationNorms, int[] Predictions, float[]? AdversarialInputs,
    long ScoreQueries, long GradientQueries, long ZeroGradientRows, long NonFiniteGradientRows, int OutsideBallOrBounds, double MaxViolation, TimeSpan Elapsed)
{
    public int FooledCount => Fooled.Count(f => f);
}
