using MathNet.Numerics.Distributions;
using MLNetJacobian.Robustness;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Robustness;

/// <summary>
/// The noise attacks are Monte Carlo estimators of a probability. On a linear two-class model that probability has a
/// closed form, so the evaluator's robust accuracy must match it within a tolerance derived from the estimator's
/// variance.
/// </summary>
/// <remarks>
/// Example i, at score margin <c>m_i = w . x_i + b</c> (its class is the side it lies on), survives one draw with
/// probability <c>q_i</c> and all k independent draws with <c>p_i = q_i^k</c> (the attack counts an example as fooled when
/// any draw is misclassified). Gaussian noise <c>sigma * n</c>, <c>n ~ N(0, I)</c>: <c>w . n ~ N(0, ||w||^2)</c>, so
/// <c>q_i = Phi(|m_i| / (sigma ||w||))</c>. Uniform noise <c>eps * u</c>, <c>u ~ U(-1, 1)</c>, in one dimension:
/// <c>q_i = min(1, (1 + |m_i| / (eps |w|)) / 2)</c>. The robust accuracy is the mean of N independent Bernoulli(p_i), with
/// expectation <c>mean p_i</c> and standard error <c>sqrt(sum p_i (1 - p_i)) / N</c>; the tests allow 4 standard errors
/// (a false failure about once in 16,000 comparisons). The bounds are far from the data, so no draw is clipped.
/// </remarks>
public sealed class NoiseEstimatorTests
{
    private const int Examples = 800;
    private const double StandardErrors = 4;

    [Theory]
    [InlineData(1, 3)]
    [InlineData(3, 5)]
    public void Evaluate_GaussianNoiseOnLinearModel_MatchesClosedFormWithinFourStandardErrors(int draws, int seed)
    {
        double[] weights = [0.8, -1.2, 0.5, 1.5, -0.3, 0.9];
        const double bias = 0.1;
        (float[] x, int[] labels, double[] margins) = Sample(weights, bias, seed, spread: 0.4);
        float[] sigmas = [0.1f, 0.25f, 0.5f];
        var options = Options(new GaussianNoiseAttack(draws) { Strengths = sigmas }, seed, [0.1f]);

        RobustnessReport report = RobustnessEvaluator.Evaluate(new LinearScores(weights, bias), x, labels, options);

        double norm = Math.Sqrt(weights.Sum(w => w * w));
        RobustnessReport.AttackCurve curve = Assert.Single(report.Attacks);
        foreach (float sigma in sigmas)
        {
            double[] survive = margins.Select(m => Math.Pow(Normal.CDF(0, 1, Math.Abs(m) / (sigma * norm)), draws)).ToArray();
            AssertWithinStandardErrors(curve.Points.Single(p => p.Strength == sigma).RobustAccuracy, survive, $"sigma {sigma}, {draws} draws");
        }
    }

    [Fact]
    public void Evaluate_UnclippedGaussianNoiseInsideTightBounds_MatchesTheUnclippedClosedForm()
    {
        double[] weights = [0.8, -1.2, 0.5, 1.5, -0.3, 0.9];
        const double bias = 0.1;
        const int seed = 8;
        (float[] x, int[] labels, double[] margins) = Sample(weights, bias, seed, spread: 0.4);
        float[] sigmas = [0.5f, 1.0f];
        // Bounds just around the data: clipping would change the noise at these sigmas; unclipped, the closed form holds.
        var options = Options(new GaussianNoiseAttack(draws: 1) { Strengths = sigmas, Clip = false }, seed, [0.1f], x.Min(), x.Max());

        RobustnessReport report = RobustnessEvaluator.Evaluate(new LinearScores(weights, bias), x, labels, options);

        double norm = Math.Sqrt(weights.Sum(w => w * w));
        RobustnessReport.AttackCurve curve = Assert.Single(report.Attacks);
        Assert.Equal("Gaussian noise x1 unclipped", curve.Name);
        Assert.Equal("no", curve.Settings["clippedToBounds"]);
        foreach (float sigma in sigmas)
        {
            double[] survive = margins.Select(m => Normal.CDF(0, 1, Math.Abs(m) / (sigma * norm))).ToArray();
            AssertWithinStandardErrors(curve.Points.Single(p => p.Strength == sigma).RobustAccuracy, survive, $"unclipped sigma {sigma}");
        }
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 6)]
    public void Evaluate_UniformNoiseOnLinearModel_MatchesClosedFormWithinFourStandardErrors(int draws, int seed)
    {
        double[] weights = [1.5];
        const double bias = -0.2;
        (float[] x, int[] labels, double[] margins) = Sample(weights, bias, seed, spread: 1.0);
        float[] epsilons = [0.2f, 0.5f, 1.0f];
        var options = Options(new UniformNoiseAttack(draws), seed, epsilons);

        RobustnessReport report = RobustnessEvaluator.Evaluate(new LinearScores(weights, bias), x, labels, options);

        RobustnessReport.AttackCurve curve = Assert.Single(report.Attacks);
        foreach (float epsilon in epsilons)
        {
            double[] survive = margins.Select(m => Math.Pow(Math.Min(1, (1 + Math.Abs(m) / (epsilon * Math.Abs(weights[0]))) / 2), draws)).ToArray();
            AssertWithinStandardErrors(curve.Points.Single(p => p.Strength == epsilon).RobustAccuracy, survive, $"eps {epsilon}, {draws} draws");
        }
    }

    private static RobustnessOptions Options(Attack attack, int seed, float[] epsilons, float lower = -100, float upper = 100) => new()
    {
        LowerBound = lower,
        UpperBound = upper,
        Epsilons = epsilons,
        Attacks = [attack],
        BisectionSteps = 0,
        RunSanityChecks = false,
        Seed = seed,
        ThreadCount = 1,
    };

    /// <summary>Points spread around the boundary, each labelled with the side it lies on (all clean-correct).</summary>
    private static (float[] X, int[] Labels, double[] Margins) Sample(double[] weights, double bias, int seed, double spread)
    {
        var random = new Random(seed);
        int d = weights.Length;
        var x = new float[Examples * d];   // x: [N, D]
        var labels = new int[Examples];
        var margins = new double[Examples];
        for (int i = 0; i < Examples; i++)
        {
            double margin;
            do
            {
                margin = bias;
                for (int j = 0; j < d; j++)
                {
                    x[i * d + j] = (float)(spread * (2 * random.NextDouble() - 1));
                    margin += weights[j] * x[i * d + j];
                }
            }
            while (Math.Abs(margin) < 1e-3);   // not on the boundary itself, where float rounding decides the class

            margins[i] = margin;
            labels[i] = margin > 0 ? 1 : 0;
        }

        return (x, labels, margins);
    }

    private static void AssertWithinStandardErrors(double observed, double[] survive, string what)
    {
        double expected = survive.Average();
        double standardError = Math.Sqrt(survive.Sum(p => p * (1 - p))) / survive.Length;
        Assert.True(standardError > 0.005, $"{what}: the setting should leave the outcome uncertain (SE {standardError:F4}).");
        Assert.True(Math.Abs(observed - expected) <= StandardErrors * standardError,
            $"{what}: robust accuracy {observed:F4}, closed form {expected:F4}, SE {standardError:F4}");
    }

    /// <summary>Logits <c>[0, w . x + b]</c> computed in double.</summary>
    private sealed class LinearScores(double[] weights, double bias) : IModel
    {
        public int FeatureCount => weights.Length;

        public int OutputCount => 2;
        public ModelTask Task => ModelTask.MulticlassClassification;

        public ModelOutputKind OutputKind => ModelOutputKind.Logits;

        public IReadOnlyList<string> ClassNames => ["0", "1"];

        public string Description => "linear two-class test model";

        public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> scores)
        {
            int d = weights.Length;
            for (int r = 0; r < rows; r++)
            {
                double margin = bias;
                for (int j = 0; j < d; j++) margin += weights[j] * features[r * d + j];
                scores[2 * r] = 0;
                scores[2 * r + 1] = (float)margin;
            }
        }

        public IModel CreateThreadInstance() => this;
    }
}
