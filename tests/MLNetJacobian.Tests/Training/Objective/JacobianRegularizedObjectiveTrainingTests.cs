using MLNetJacobian.Compute;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Training;
using Xunit.Abstractions;

namespace MLNetJacobian.Tests.Training.Objective;

/// <summary>
/// The objective drives plain minibatch gradient descent (written inline here; the real loop is the training
/// area's) on the embedded digits: it must learn, the penalty must shrink the Jacobian, and a batch must not allocate.
/// </summary>
public sealed class JacobianRegularizedObjectiveTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void Compute_GradientDescentOnDigits_LearnsAndPenaltyShrinksJacobian()
    {
        LabeledDataset all = DigitsDataset.Load(scaleToUnitInterval: true);
        (LabeledDataset train, LabeledDataset test) = all.Split(0.8, seed: 1);
        (double plainAccuracy, double plainNorm) = Train(train, test, lambda: 0);
        (double regularizedAccuracy, double regularizedNorm) = Train(train, test, lambda: 0.05);
        output.WriteLine($"lambda 0: accuracy {plainAccuracy:P1}, mean ||J||_F {plainNorm:F3}; lambda 0.05: accuracy {regularizedAccuracy:P1}, mean ||J||_F {regularizedNorm:F3}");
        Assert.True(plainAccuracy > 0.9, $"Accuracy without the penalty {plainAccuracy:P1} is not above 90%.");
        // Ten epochs of plain gradient descent leave the regularized net still trading accuracy for smoothness
        // (about 91% observed), so its bar is lower; the training area's tests check the full recipe.
        Assert.True(regularizedAccuracy > 0.85, $"Accuracy with the penalty {regularizedAccuracy:P1} is not above 85%.");
        Assert.True(regularizedNorm < 0.5 * plainNorm, $"The penalty did not shrink ||J||_F: {regularizedNorm} vs {plainNorm}.");
    }

    [Fact]
    public void Compute_SteadyState_AllocatesNothing()
    {
        var architecture = new NetworkArchitecture(16, [12, 8], 5, Activation.Gelu);
        var network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, new Random(1));
        var objective = new JacobianRegularizedObjective<float>(network, new ReferenceGemmProvider(), 32,
            new JacobianPenaltyOptions(0.1, ProjectionCount: 2, SampleFraction: 0.5));
        var random = new Random(2);
        float[] x = Enumerable.Range(0, 32 * 16).Select(_ => (float)random.NextDouble()).ToArray();
        float[] labels = Enumerable.Range(0, 32).Select(i => (float)(i % 5)).ToArray();
        float[] weights = Enumerable.Repeat(1f, 32).ToArray();
        var gradient = new float[network.ParameterCount];
        objective.Compute(x, labels, weights, 32, gradient, random);   // warm-up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int n = 0; n < 10; n++) objective.Compute(x, labels, weights, 20 + n, gradient, random);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static (double Accuracy, double MeanJacobianNorm) Train(LabeledDataset train, LabeledDataset test, double lambda)
    {
        const int batchSize = 32, epochs = 10;
        const float learningRate = 0.2f;
        var architecture = new NetworkArchitecture(train.FeatureCount, [32], train.ClassCount, Activation.Relu);
        var network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, new Random(3));
        var objective = new JacobianRegularizedObjective<float>(network, new ReferenceGemmProvider(), batchSize, new JacobianPenaltyOptions(lambda));
        var gradient = new float[network.ParameterCount];
        var random = new Random(4);
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        var features = new float[batchSize * train.FeatureCount];
        var labels = new float[batchSize];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int rows = Math.Min(batchSize, order.Length - start);
                for (int i = 0; i < rows; i++)
                {
                    train.Row(order[start + i]).CopyTo(features.AsSpan(i * train.FeatureCount));
                    labels[i] = train.Labels[order[start + i]];   // class index as a target
                }

                objective.Compute(features, labels, [], rows, gradient, random);
                for (int j = 0; j < gradient.Length; j++) network.Parameters[j] -= learningRate * gradient[j];
            }
        }

        var evaluator = new NetworkEvaluator<float>(network, new ReferenceGemmProvider(), test.Count);
        var logits = new float[test.Count * test.ClassCount];
        evaluator.ComputeLogits(test.Features, test.Count, logits);
        int correct = 0;
        for (int i = 0; i < test.Count; i++)
        {
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(logits.AsSpan(i * test.ClassCount, test.ClassCount)) == test.Labels[i]) correct++;
        }

        var norms = new double[test.Count];
        evaluator.ComputeJacobianFrobeniusNormsSquared(test.Features, test.Count, norms);
        return ((double)correct / test.Count, norms.Average(Math.Sqrt));
    }
}
