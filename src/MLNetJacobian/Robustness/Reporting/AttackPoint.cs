namespace MLNetJacobian.Robustness;

/// <summary>The result of one attack at one strength.</summary>
/// <param name="Strength">Epsilon (or, for noise attacks without a ball, the noise scale).</param>
/// <param name="RobustAccuracy">Fraction of ALL evaluated examples still classified correctly after the attack
/// (clean-misclassified examples count as not robust: the AutoAttack / Foolbox convention).</param>
/// <param name="SuccessRate">Fraction of the attacked (clean-correct) examples that the attack misclassified.</param>
/// <param name="AttackedCount">Examples attacked (the clean-correct ones).</param>
/// <param name="FooledCount">Attacked examples that were misclassified.</param>
/// <param name="QueriesPerExample">Mean model evaluations (forward passes) per attacked example.</param>
/// <param name="GradientsPerExample">Mean input-gradient computations per attacked example.</param>
/// <param name="Seconds">Wall-clock time of this run.</param>
public sealed record AttackPoint(double Strength, double RobustAccuracy, double SuccessRate, int AttackedCount, int FooledCount,
    double QueriesPerExample, double GradientsPerExample, double Seconds)
{
    /// <summary>Binary classifiers: the AUC of the scores after the attack (see <see cref="RobustnessEvaluator.AucConvention"/>); null otherwise.</summary>
    public double? Auc { get; init; }
}
