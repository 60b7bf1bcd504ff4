using Microsoft.ML;
using MLNetJacobian.Robustness;
using MLNetJacobian.Tests.Analysis;

namespace MLNetJacobian.Plotting.Tests;

/// <summary>Small robustness reports of the digits models, evaluated once per test run through the public catalog method.</summary>
internal static class ReportFixtures
{
    private static readonly Lazy<RobustnessReport> LazyMaximumEntropy = new(() => Evaluate(DigitsModels.Instance.MaximumEntropy));
    private static readonly Lazy<RobustnessReport> LazyLightGbm = new(() => Evaluate(DigitsModels.Instance.LightGbm));

    /// <summary>Maximum entropy (white-box): a Gaussian-noise curve (measured by its scale) and an L-inf FGSM curve, so two panels.</summary>
    public static RobustnessReport MaximumEntropy => LazyMaximumEntropy.Value;

    /// <summary>LightGbm (black-box): the same attacks, FGSM skipped with a notice.</summary>
    public static RobustnessReport LightGbm => LazyLightGbm.Value;

    private static RobustnessReport Evaluate(ITransformer model) =>
        DigitsModels.Instance.Context.MulticlassClassification.EvaluateRobustness(model, DigitsModels.Instance.TestView, new RobustnessOptions
        {
            MaxExamples = 60,
            Epsilons = [0.1f, 0.2f],
            Attacks = [new GaussianNoiseAttack(draws: 1) { Strengths = [0.1f, 0.3f] }, PgdAttack.Fgsm(PerturbationNorm.LInfinity)],
            BisectionSteps = 2,
            SanityExampleCount = 20,
            Seed = 1,
        });
}
