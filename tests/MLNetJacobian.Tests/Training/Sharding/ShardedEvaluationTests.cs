using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Tests.Training.Objective;

namespace MLNetJacobian.Tests.Training.Sharding;

/// <summary>Row shards give every inference pass the same bits as one pass on one thread.</summary>
public sealed class ShardedEvaluationTests
{
    private static readonly NetworkArchitecture Architecture = new(6, [9, 7], 4, Activation.Tanh);

    [Theory]
    [InlineData(2, 70)]   // two shards of 35
    [InlineData(3, 70)]   // three shards of 23-24
    [InlineData(3, 40)]   // two shards of 20 (40 / 16 = 2)
    [InlineData(2, 20)]   // too few rows to shard: one pass, GEMMs on two threads
    public void EveryPass_Sharded_EqualsOneThreadBitForBit(int threads, int rows)
    {
        var testCase = ObjectiveTestCase.Create(Architecture, rows, seed: threads + rows);
        FeedForwardNetwork<double> network = testCase.Network;
        var single = new NetworkEvaluator<double>(network, new ManagedGemmProvider(1), rows);
        var sharded = new NetworkEvaluator<double>(network, 80, threads);
        Assert.Equal(threads, sharded.Threads);
        int inputSize = network.InputSize, classCount = network.OutputSize;
        double[] x = testCase.Inputs;
        double[] logitGradient = Enumerable.Range(0, rows * classCount).Select(j => Math.Sin(j)).ToArray();

        Assert.Equal(Run(single, e => Logits(e, x, rows, classCount)), Run(sharded, e => Logits(e, x, rows, classCount)));
        Assert.Equal(Run(single, e => InputGradient(e, x, rows, logitGradient, inputSize)),
            Run(sharded, e => InputGradient(e, x, rows, logitGradient, inputSize)));
        double[] afterLogits = new double[rows * inputSize];
        Logits(sharded, x, rows, classCount);
        sharded.ComputeInputGradientAfterLogits(rows, logitGradient, afterLogits);
        Assert.Equal(Run(single, e => InputGradient(e, x, rows, logitGradient, inputSize)), afterLogits);
        Assert.Throws<InvalidOperationException>(() => sharded.ComputeInputGradientAfterLogits(rows, logitGradient, afterLogits));
        Assert.Equal(Run(single, e => Jacobians(e, x, rows, classCount * inputSize)), Run(sharded, e => Jacobians(e, x, rows, classCount * inputSize)));
        var expectedNorms = new double[rows];
        var actualNorms = new double[rows + 1];
        actualNorms[rows] = -7;   // beyond the rows: untouched
        single.ComputeJacobianFrobeniusNormsSquared(x, rows, expectedNorms);
        sharded.ComputeJacobianFrobeniusNormsSquared(x, rows, actualNorms);
        Assert.Equal(expectedNorms, actualNorms.Take(rows));
        Assert.Equal(-7, actualNorms[rows]);
    }

    [Fact]
    public void ComputeLogits_TooManyRows_Throws()
    {
        var network = FeedForwardNetwork<float>.Create(Architecture, WeightInitializer.XavierUniform, new Random(1));
        var evaluator = new NetworkEvaluator<float>(network, 40, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => evaluator.ComputeLogits(new float[41 * 6], 41, new float[41 * 4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkEvaluator<float>(network, 40, 0));
        var withoutJacobians = new NetworkEvaluator<float>(network, 40, 2, jacobians: false);
        Assert.Throws<InvalidOperationException>(() => withoutJacobians.ComputeJacobians(new float[40 * 6], 40, new float[40 * 4 * 6]));
    }

    private static double[] Run(NetworkEvaluator<double> evaluator, Func<NetworkEvaluator<double>, double[]> pass) => pass(evaluator);

    private static double[] Logits(NetworkEvaluator<double> evaluator, double[] x, int rows, int classCount)
    {
        var logits = new double[rows * classCount];
        evaluator.ComputeLogits(x, rows, logits);
        return logits;
    }

    private static double[] InputGradient(NetworkEvaluator<double> evaluator, double[] x, int rows, double[] logitGradient, int inputSize)
    {
        var gradient = new double[rows * inputSize];
        evaluator.ComputeInputGradient(x, rows, logitGradient, gradient);
        return gradient;
    }

    private static double[] Jacobians(NetworkEvaluator<double> evaluator, double[] x, int rows, int jacobianSize)
    {
        var jacobians = new double[rows * jacobianSize];
        evaluator.ComputeJacobians(x, rows, jacobians);
        return jacobians;
    }
}
