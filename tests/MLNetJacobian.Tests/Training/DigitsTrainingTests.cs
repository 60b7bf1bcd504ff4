using System.Diagnostics;
using MLNetJacobian.Compute;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Training;
using Xunit.Abstractions;

namespace MLNetJacobian.Tests.Training;

/// <summary>
/// The end-to-end check of issue 2: a small ReLU network trained on the embedded 8x8 digits, with and without the
/// Jacobian penalty, generalises and the penalty shrinks the input-output Jacobian.
/// </summary>
/// <remarks>
/// Settings: 64-128-10 ReLU, Xavier, SGD momentum 0.9 with learning rate 0.1 annealed by a cosine schedule, batch 32,
/// 20 epochs, n_proj = 1. Weight decay is off so that the comparison isolates the penalty. On inputs in [0, 1]
/// lambda = 0.1 is a strong penalty (it caps the logit margins the network can build): with a constant rate and
/// 64 hidden units the held-out accuracy stayed near 90%; the cosine schedule and 128 units lift it to ~95%.
/// Measured when written: lambda 0: 98.6% and mean exact ||J||_F 31.2; lambda 0.1: 95.0% and 3.04 (ratio 10.3).
/// The thresholds (90%, 3x) are issue 2's.
/// </remarks>
public class DigitsTrainingTests(ITestOutputHelper output)
{
    private static readonly NetworkArchitecture Architecture = new(DigitsDataset.FeatureCount, [128], 10, Activation.Relu);

    private static readonly NetworkTrainerOptions Options = new()
    {
        Epochs = 20,
        BatchSize = 32,
        LearningRate = 0.1,
        Schedule = new CosineSchedule(),
        Optimizer = new SgdOptions { Momentum = 0.9, WeightDecay = 0 },
    };

    [Fact]
    public void Train_DigitsWithAndWithoutPenalty_AccurateAndJacobianThreeTimesSmaller()
    {
        LabeledDataset digits = DigitsDataset.Load(scaleToUnitInterval: true);
        var (trainRows, testRows) = digits.Split(0.8, seed: 7);

        var (plainAccuracy, plainNorm) = TrainAndMeasure(trainRows, testRows, jacobianWeight: 0);
        var (regularizedAccuracy, regularizedNorm) = TrainAndMeasure(trainRows, testRows, jacobianWeight: 0.1);

        output.WriteLine($"lambda 0:   held-out accuracy {plainAccuracy:P2}, mean exact ||J||_F {plainNorm:F3}");
        output.WriteLine($"lambda 0.1: held-out accuracy {regularizedAccuracy:P2}, mean exact ||J||_F {regularizedNorm:F3}");
        output.WriteLine($"ratio {plainNorm / regularizedNorm:F2}");
        Assert.True(plainAccuracy > 0.9, $"held-out accuracy without the penalty {plainAccuracy}");
        Assert.True(regularizedAccuracy > 0.9, $"held-out accuracy with lambda 0.1 {regularizedAccuracy}");
        Assert.True(plainNorm >= 3 * regularizedNorm, $"mean ||J||_F {plainNorm} without the penalty vs {regularizedNorm} with it");
    }

    [Fact]
    public void Train_NetworkOverloadWithValidation_ValidationAccuracyMatchesEvaluator()
    {
        LabeledDataset digits = DigitsDataset.Load(scaleToUnitInterval: true);
        var (trainRows, testRows) = digits.Split(0.8, seed: 7);
        var gemm = new ManagedGemmProvider();
        var network = FeedForwardNetwork<float>.Create(new NetworkArchitecture(DigitsDataset.FeatureCount, [32], 10, Activation.Tanh),
            WeightInitializer.XavierUniform, new Random(1));
        var objective = new JacobianRegularizedObjective<float>(network, gemm, 64, new JacobianPenaltyOptions(0.01));

        TrainingHistory history = new NetworkTrainer<float>(gemm).Train(network, objective, InMemoryTrainingData<float>.FromDataset(trainRows),
            InMemoryTrainingData<float>.FromDataset(testRows), Options with { Epochs = 3, BatchSize = 64 }, new Random(2), null);

        Assert.Equal(3, history.Epochs.Count);
        Assert.All(history.Epochs, e => Assert.NotNull(e.ValidationLoss));
        Assert.True(history.Last!.ValidationAccuracy > 0.8, $"validation accuracy {history.Last.ValidationAccuracy}");
        Assert.True(history.Last.RmsJacobianNormEstimate > 0);
        var (accuracy, _) = Measure(network, gemm, testRows);
        Assert.Equal(accuracy, history.Last.ValidationAccuracy!.Value, 1e-12);
    }

    [Fact]
    public void Train_HugeLearningRateWithPenalty_ThrowsDivergedAndNetworkStaysFinite()
    {
        // An affine model has J = W, so the penalty's gradient is lambda W: with lr * lambda = 100 each step multiplies
        // the weights by about -99 (more with momentum) and float overflows within the 29 batches of epoch 1.
        LabeledDataset digits = DigitsDataset.Load(scaleToUnitInterval: true);
        var gemm = new ManagedGemmProvider();
        var network = FeedForwardNetwork<float>.Create(new NetworkArchitecture(DigitsDataset.FeatureCount, [], 10, Activation.Relu),
            WeightInitializer.XavierUniform, new Random(1));
        var objective = new JacobianRegularizedObjective<float>(network, gemm, 64, new JacobianPenaltyOptions(0.1));
        float[] initial = network.Parameters.ToArray();

        var error = Assert.Throws<TrainingDivergedException>(() => new NetworkTrainer<float>(gemm).Train(network, objective,
            InMemoryTrainingData<float>.FromDataset(digits), null, Options with { BatchSize = 64, LearningRate = 1000 }, new Random(2), null));

        output.WriteLine(error.Message);
        Assert.Equal(1, error.Epoch);
        Assert.Contains("epoch 1", error.Message);
        Assert.Contains("smaller learning rate", error.Message);
        Assert.Equal(initial, network.Parameters.ToArray());
    }

    private (double Accuracy, double MeanJacobianNorm) TrainAndMeasure(LabeledDataset trainRows, LabeledDataset testRows, double jacobianWeight)
    {
        var gemm = new ManagedGemmProvider();
        var network = FeedForwardNetwork<float>.Create(Architecture, WeightInitializer.XavierUniform, new Random(1));
        var objective = new JacobianRegularizedObjective<float>(network, gemm, Options.BatchSize,
            new JacobianPenaltyOptions(jacobianWeight, ProjectionCount: 1));
        long start = Stopwatch.GetTimestamp();
        TrainingHistory history = new NetworkTrainer<float>(gemm).Train(network, objective, InMemoryTrainingData<float>.FromDataset(trainRows),
            null, Options, new Random(2), null);
        output.WriteLine($"lambda {jacobianWeight}: trained {history.Epochs.Count} epochs in {Stopwatch.GetElapsedTime(start).TotalSeconds:F2} s, " +
            $"final loss {history.Last!.Loss:F4}, training ||J||_F estimate {history.Last.RmsJacobianNormEstimate:F3}");

        return Measure(network, gemm, testRows);
    }

    /// <summary>Held-out accuracy and mean exact <c>||J(x)||_F</c> over the rows.</summary>
    private static (double Accuracy, double MeanJacobianNorm) Measure(FeedForwardNetwork<float> network, IGemmProvider gemm, LabeledDataset testRows)
    {
        int rows = testRows.Count, classCount = testRows.ClassCount;
        var evaluator = new NetworkEvaluator<float>(network, gemm, rows);
        var logits = new float[rows * classCount];                    // [N, C]
        evaluator.ComputeLogits(testRows.Features, rows, logits);
        int correct = 0;
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> z = logits.AsSpan(i * classCount, classCount);
            if (z.IndexOf(MaxOf(z)) == testRows.Labels[i]) correct++;
        }

        var normsSquared = new double[rows];                          // [N], exact ||J(x_i)||_F^2
        evaluator.ComputeJacobianFrobeniusNormsSquared(testRows.Features, rows, normsSquared);
        return ((double)correct / rows, normsSquared.Average(Math.Sqrt));
    }

    private static float MaxOf(ReadOnlySpan<float> values)
    {
        float max = values[0];
        foreach (float value in values) max = Math.Max(max, value);
        return max;
    }
}
