using MathNet.Numerics.LinearAlgebra;
using MLNetJacobian.Analysis;
using MLNetJacobian.Network;
using MLNetJacobian.Models;
using MLNetJacobian.Tests.Analysis;

namespace MLNetJacobian.Tests.Models;

public class NetworkModelTests
{
    [Fact]
    public void Compute_DoubleTanhNetwork_FiniteDifferenceAgreesWithExactJacobian()
    {
        var network = FeedForwardNetwork<double>.Create(new NetworkArchitecture(10, [12, 8], 4, Activation.Tanh), WeightInitializer.XavierUniform, new Random(1));
        var classifier = new NetworkModel<double>(network);
        var finiteDifference = FiniteDifferenceJacobian.WithAbsoluteStep(classifier, 1e-3);
        float[] x = Enumerable.Range(0, 10).Select(i => (float)Math.Cos(i)).ToArray();
        double[] exact = new double[40], approximate = new double[40], logits = new double[4], scores = new double[4];

        classifier.ComputeJacobian(x, logits, exact);
        finiteDifference.ComputeJacobian(x, scores, approximate);

        double scale = exact.Max(Math.Abs);
        for (int i = 0; i < 40; i++)
        {
            // Scores pass through float (rounding ~6e-8 |z| / 2e-3) plus truncation O(h^2): 2e-4 of the largest entry.
            Assert.True(Math.Abs(exact[i] - approximate[i]) <= 2e-4 * Math.Max(scale, 1), $"entry {i}: exact {exact[i]}, finite difference {approximate[i]}");
        }

        for (int k = 0; k < 4; k++) Assert.Equal(logits[k], scores[k], 5);
    }

    [Fact]
    public void Compute_FloatReluNetwork_FiniteDifferenceAgreesAwayFromKinks()
    {
        var network = FeedForwardNetwork<float>.Create(new NetworkArchitecture(64, [32], 10, Activation.Relu), WeightInitializer.HeNormal, new Random(2));
        var classifier = new NetworkModel<float>(network);
        var finiteDifference = FiniteDifferenceJacobian.WithAbsoluteStep(classifier, 1e-4);
        float[] x = DigitsModels.Instance.Test.Row(3).ToArray();
        double[] exact = new double[640], approximate = new double[640], logits = new double[10], scores = new double[10];

        classifier.ComputeJacobian(x, logits, exact);
        finiteDifference.ComputeJacobian(x, scores, approximate);

        // ReLU is piecewise linear: the central difference is exact unless a unit switches within +-h (rare at h = 1e-4);
        // float forward passes give ~1e-7 |z| / 2e-4 ~ 1e-3 absolute error.
        double scale = exact.Max(Math.Abs);
        int mismatches = Enumerable.Range(0, 640).Count(i => Math.Abs(exact[i] - approximate[i]) > 5e-3 * Math.Max(scale, 1));
        Assert.True(mismatches <= 10, $"{mismatches} of 640 entries differ");
    }

    [Fact]
    public void Statistics_SquareSoftplusNetwork_LogAbsDeterminantMatchesDirectDeterminant()
    {
        var network = FeedForwardNetwork<double>.Create(new NetworkArchitecture(5, [7], 5, Activation.Softplus), WeightInitializer.XavierUniform, new Random(3));
        var classifier = new NetworkModel<double>(network);
        float[] x = [0.3f, -0.2f, 0.9f, 0.1f, -0.7f];
        double[] jacobian = new double[25], logits = new double[5];
        classifier.ComputeJacobian(x, logits, jacobian);

        JacobianStatistics statistics = JacobianAnalyzer.ComputeStatistics(classifier, x);

        double direct = Math.Log(Math.Abs(Matrix<double>.Build.DenseOfRowMajor(5, 5, jacobian).Determinant()));
        Assert.Equal(direct, statistics.LogAbsDeterminant!.Value, 9);
        Assert.True(statistics.SpectralNorm <= statistics.FrobeniusNorm && statistics.FrobeniusNorm <= Math.Sqrt(statistics.Rank) * statistics.SpectralNorm * (1 + 1e-12));
    }

    [Fact]
    public void Classify_ManyRowsAcrossBatches_MatchesEvaluatorArgMax()
    {
        var network = FeedForwardNetwork<float>.Create(new NetworkArchitecture(64, [16], 10, Activation.Relu), WeightInitializer.HeNormal, new Random(4));
        var classifier = new NetworkModel<float>(network, maxBatchSize: 7);
        var data = DigitsModels.Instance.Test;
        var scores = new float[50 * 10];
        var classes = new int[50];

        ModelPredictions.PredictClasses(classifier, data.Features.AsSpan(0, 50 * 64), 50, scores, classes);

        var evaluator = new NetworkEvaluator<float>(network, new MLNetJacobian.Compute.ReferenceGemmProvider(), 50);
        var logits = new float[500];
        evaluator.ComputeLogits(data.Features.AsSpan(0, 50 * 64), 50, logits);
        for (int r = 0; r < 50; r++)
        {
            Assert.Equal(Array.IndexOf(logits, logits.Skip(r * 10).Take(10).Max(), r * 10) - r * 10, classes[r]);
        }
    }

    [Fact]
    public void Constructor_WrongNumberOfClassNames_ThrowsNamingClassNames()
    {
        var network = FeedForwardNetwork<float>.Create(new NetworkArchitecture(4, [], 3, Activation.Relu), WeightInitializer.XavierUniform, new Random(1));
        var error = Assert.Throws<ArgumentException>(() => new NetworkModel<float>(network, ["a", "b"]));
        Assert.Equal("classNames", error.ParamName);
    }
}
