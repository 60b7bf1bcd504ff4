namespace MLNetJacobian.Robustness;

/// <summary>
/// The result of running one attack over a set of examples (internal bookkeeping of the evaluator): per attacked example,
/// fooled or not, the perturbation's norm (the attack's, L2 for noise without a ball), the adversarial prediction and,
/// when asked for, the adversarial input (<c>[examples, D]</c>); the model's outputs on it (<c>[examples, K]</c>); then
/// the query counts and checks. For a regression goal nothing is "fooled": the outputs are the result.
/// </summary>
internal sealed record AttackOutcome(bool[] Fooled, float[] PerturbationNorms, int[] Predictions, float[]? AdversarialInputs, float[] Outputs,
    long ScoreQueries, long GradientQueries, long ZeroGradientRows, long NonFiniteGradientRows, int OutsideBallOrBounds, double MaxViolation, TimeSpan Elapsed)
{
    public int FooledCount => Fooled.Count(f => f);
}
