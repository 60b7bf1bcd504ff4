using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Tests.Network;
using MLNetJacobian.Training;
using Xunit.Abstractions;

namespace MLNetJacobian.Tests.Training.Objective;

/// <summary>The penalty on a random subset of each batch, scaled by B / m: unbiased in value and gradient.</summary>
public sealed class JacobianPenaltySubsamplingTests(ITestOutputHelper output)
{
    private const int Rows = 8;
    private static readonly NetworkArchitecture Architecture = new(4, [6], 3, Activation.Softplus);

    [Fact]
    public void Compute_QuarterOfTheRows_MeanEstimateEqualsFullBatchPenalty()
    {
        var testCase = ObjectiveTestCase.Create(Architecture, Rows, seed: 21);
        var options = new JacobianPenaltyOptions(0.4, ExactNorm: true, SampleFraction: 0.25);
        int subsetRows = options.SubsetSize(Rows);
        Assert.Equal(2, subsetRows);
        var full = Objective(testCase, options with { SampleFraction = 1 });
        var sampled = Objective(testCase, options);
        var fullGradient = new double[testCase.Network.ParameterCount];
        BatchLoss fullLoss = full.Compute(testCase.Inputs, testCase.Targets, testCase.Weights, Rows, fullGradient, new Random(0));

        // Population of per-row terms t_i = (w_i / sum w) R_i; the estimate is B times the mean of m of them drawn
        // without replacement, with variance B^2 (sigma^2 / m) (B - m) / (B - 1).
        var norms = new double[Rows];
        new NetworkEvaluator<double>(testCase.Network, new ReferenceGemmProvider(), Rows).ComputeJacobianFrobeniusNormsSquared(testCase.Inputs, Rows, norms);
        double weightSum = testCase.Weights.Sum();
        double[] terms = norms.Select((n, i) => testCase.Weights[i] / weightSum * n).ToArray();
        double termMean = terms.Average(), populationVariance = terms.Sum(t => (t - termMean) * (t - termMean)) / Rows;
        double drawVariance = Rows * Rows * populationVariance / subsetRows * (Rows - subsetRows) / (Rows - 1);

        const int draws = 3000;
        var random = new Random(22);
        var gradient = new double[fullGradient.Length];
        var gradientSum = new double[fullGradient.Length];
        var gradientSquares = new double[fullGradient.Length];
        double estimateSum = 0, crossEntropySum = 0;
        for (int n = 0; n < draws; n++)
        {
            BatchLoss loss = sampled.Compute(testCase.Inputs, testCase.Targets, testCase.Weights, Rows, gradient, random);
            estimateSum += loss.JacobianNormSquared;
            crossEntropySum += loss.DataLoss;
            for (int j = 0; j < gradient.Length; j++)
            {
                gradientSum[j] += gradient[j];
                gradientSquares[j] += gradient[j] * gradient[j];
            }
        }

        double mean = estimateSum / draws, standardError = Math.Sqrt(drawVariance / draws);
        output.WriteLine($"full {fullLoss.JacobianNormSquared:F6}, subsampled mean {mean:F6}, standard error {standardError:E2}");
        Assert.True(Math.Abs(mean - fullLoss.JacobianNormSquared) <= 5 * standardError,
            $"Mean {mean} differs from the full-batch {fullLoss.JacobianNormSquared} by more than 5 x {standardError:E2}.");
        // The cross-entropy covers every row whatever the subset (the permutation leaves it unchanged up to rounding).
        Assert.Equal(fullLoss.DataLoss, crossEntropySum / draws, 12);

        // Gradient: each component's mean within 5 empirical standard errors (plus rounding) of the full gradient.
        for (int j = 0; j < gradient.Length; j++)
        {
            double componentMean = gradientSum[j] / draws;
            double componentError = Math.Sqrt(Math.Max(gradientSquares[j] / draws - componentMean * componentMean, 0) / draws);
            Assert.True(Math.Abs(componentMean - fullGradient[j]) <= 5 * componentError + 1e-12,
                $"Gradient entry {j}: mean {componentMean} vs full {fullGradient[j]}, standard error {componentError:E2}.");
        }
    }

    [Fact]
    public void Compute_FullSampleFraction_DrawsNoRandomNumberForTheSubset()
    {
        var testCase = ObjectiveTestCase.Create(Architecture, Rows, seed: 23);
        var objective = Objective(testCase, new JacobianPenaltyOptions(0.4, ExactNorm: true));
        var random = new Random(5);
        objective.Compute(testCase.Inputs, testCase.Targets, [], Rows, new double[objective.ParameterCount], random);
        Assert.Equal(new Random(5).Next(), random.Next());
    }

    [Fact]
    public void Compute_ZeroLambda_SkipsThePenaltyAndMatchesCrossEntropyGradient()
    {
        var testCase = ObjectiveTestCase.Create(Architecture, Rows, seed: 24);
        var objective = Objective(testCase, new JacobianPenaltyOptions(0, ProjectionCount: 3, SampleFraction: 0.5));
        var random = new Random(5);
        var gradient = new double[objective.ParameterCount];
        BatchLoss loss = objective.Compute(testCase.Inputs, testCase.Targets, [], Rows, gradient, random);
        Assert.True(double.IsNaN(loss.JacobianNormSquared));
        Assert.Equal(0, loss.Penalty);
        Assert.Equal(loss.DataLoss, loss.Loss);
        Assert.Equal(new Random(5).Next(), random.Next());   // no projection and no subset drawn

        // Cross-entropy gradient of the output bias: mean over rows of softmax - onehot.
        int classCount = Architecture.OutputSize;
        var expected = new double[classCount];
        for (int i = 0; i < Rows; i++)
        {
            double[] logits = ReferenceForward.Logits(testCase.Network, testCase.Inputs.AsSpan(i * 4, 4));
            double max = logits.Max(), sum = logits.Sum(z => Math.Exp(z - max));
            for (int c = 0; c < classCount; c++) expected[c] += (Math.Exp(logits[c] - max) / sum - (c == testCase.Labels[i] ? 1 : 0)) / Rows;
        }

        NumericAssert.Close(expected, gradient.AsSpan(gradient.Length - classCount).ToArray(), 1e-13, "output bias gradient");
    }

    [Theory]
    [InlineData(1.0, 64, 64)]
    [InlineData(0.25, 64, 16)]
    [InlineData(0.2, 64, 13)]
    [InlineData(0.01, 10, 1)]
    [InlineData(0.5, 1, 1)]
    public void SubsetSize_Fraction_IsRoundedAndAtLeastOne(double fraction, int rows, int expected) =>
        Assert.Equal(expected, new JacobianPenaltyOptions(0.1, SampleFraction: fraction).SubsetSize(rows));

    [Theory]
    [InlineData(-0.1, 1, 1.0)]
    [InlineData(0.1, 0, 1.0)]
    [InlineData(0.1, 1, 0.0)]
    [InlineData(0.1, 1, 1.5)]
    public void Constructor_InvalidPenaltyOptions_ThrowsNamingTheSetting(double lambda, int projections, double fraction)
    {
        var network = FeedForwardNetwork<double>.Create(Architecture, WeightInitializer.XavierUniform, new Random(1));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new JacobianRegularizedObjective<double>(network, new ReferenceGemmProvider(), 4, new JacobianPenaltyOptions(lambda, projections, false, fraction)));
        Assert.Contains(error.ParamName!, new[] { "JacobianWeight", "ProjectionCount", "SampleFraction" });
    }

    [Fact]
    public void Compute_LabelOutOfRange_ThrowsNamingTargets()
    {
        var testCase = ObjectiveTestCase.Create(Architecture, Rows, seed: 25);
        var objective = Objective(testCase, new JacobianPenaltyOptions(0.1));
        double[] labels = testCase.Targets;
        labels[3] = 7;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            objective.Compute(testCase.Inputs, labels, [], Rows, new double[objective.ParameterCount], new Random(1)));
        Assert.Equal("targets", error.ParamName);
        Assert.Equal(7.0, error.ActualValue);
        Assert.StartsWith("The target of row 3 is 7; a class index, a whole number in [0, 3), is needed.", error.Message, StringComparison.Ordinal);
    }

    private static JacobianRegularizedObjective<double> Objective(ObjectiveTestCase testCase, JacobianPenaltyOptions options) =>
        new(testCase.Network, new ReferenceGemmProvider(), Rows, options);
}
