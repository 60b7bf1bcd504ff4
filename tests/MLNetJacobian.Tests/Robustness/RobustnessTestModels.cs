using MLNetJacobian.Compute;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Robustness;
using MLNetJacobian.Training;
using MLNetJacobian.Models;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Robustness;

/// <summary>Small models and data shared by the robustness tests (trained once per test run, in well under a second).</summary>
internal static class RobustnessTestModels
{
    private static readonly Lazy<LabeledDataset> LazyDigits = new(() => DigitsDataset.Load(scaleToUnitInterval: true));
    private static readonly Lazy<LinearModel> LazySoftmax = new(() => TrainSoftmax(Digits, iterations: 150, learningRate: 1.0f));

    private static readonly Lazy<FeedForwardNetwork<float>> LazyNetwork = new(TrainNetwork);

    /// <summary>The embedded digits, pixels scaled to [0, 1].</summary>
    public static LabeledDataset Digits => LazyDigits.Value;

    /// <summary>
    /// A softmax regression trained on all digits (about 95% training accuracy): an undefended model. A new instance
    /// per call, since instances hold work buffers and tests run in parallel.
    /// </summary>
    public static LinearModel Softmax => (LinearModel)LazySoftmax.Value.CreateThreadInstance();

    /// <summary>
    /// A small ReLU network (64-32-10) trained without penalty for 4 epochs on all digits (about 95% training
    /// accuracy), scored with the reference GEMM: each row's logits and gradient are then computed the same way
    /// whatever else is in the batch, so runs that attack different subsets of rows can be compared exactly.
    /// A new instance per call.
    /// </summary>
    public static NetworkModel<float> Network => new(LazyNetwork.Value, gemm: new ReferenceGemmProvider(), maxBatchSize: 64, description: "test ReLU network 64-32-10 on digits");

    /// <summary>The first <paramref name="rows"/> digits.</summary>
    public static (float[] Features, int[] Labels) FirstDigits(int rows) =>
        (Digits.Features.AsSpan(0, rows * Digits.FeatureCount).ToArray(), Digits.Labels.AsSpan(0, rows).ToArray());

    /// <summary>Full-batch gradient descent on the mean cross-entropy of a linear softmax model.</summary>
    public static LinearModel TrainSoftmax(LabeledDataset data, int iterations, float learningRate)
    {
        int n = data.Count, d = data.FeatureCount, c = data.ClassCount;
        var weights = new float[c * d];
        var biases = new float[c];
        var logits = new float[n * c];
        var loss = new float[n];
        var gradient = new float[n * c];
        var ce = ILogitLoss.CrossEntropy;
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            var model = new LinearModel(weights, biases, d);
            model.ComputeOutputs(data.Features, n, logits);
            ce.Evaluate(logits, data.Labels, n, c, loss, gradient);
            var weightStep = new double[c * d];
            var biasStep = new double[c];
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < c; k++)
                {
                    float g = gradient[i * c + k];
                    biasStep[k] += g;
                    for (int j = 0; j < d; j++) weightStep[k * d + j] += g * data.Features[i * d + j];
                }
            }

            for (int k = 0; k < c * d; k++) weights[k] -= (float)(learningRate * weightStep[k] / n);
            for (int k = 0; k < c; k++) biases[k] -= (float)(learningRate * biasStep[k] / n);
        }

        return new LinearModel(weights, biases, d, "test softmax regression on digits");
    }

    private static FeedForwardNetwork<float> TrainNetwork()
    {
        var gemm = new ManagedGemmProvider(1);
        var network = FeedForwardNetwork<float>.Create(new NetworkArchitecture(Digits.FeatureCount, [32], Digits.ClassCount, Activation.Relu),
            WeightInitializer.HeNormal, new Random(1));
        var objective = new JacobianRegularizedObjective<float>(network, gemm, 32, new JacobianPenaltyOptions(JacobianWeight: 0));
        new NetworkTrainer<float>(gemm).Train(network, objective, InMemoryTrainingData<float>.FromDataset(Digits), null,
            JacobianRegularizedTrainer.EngineOptions(new() { NumberOfEpochs = 4, BatchSize = 32, LearningRate = 0.1 }), new Random(2), null);
        return network;
    }

    /// <summary>One instance of every attack, small enough for tests, with its natural epsilon on [0, 1] digits.</summary>
    public static IEnumerable<(Attack Attack, float Epsilon)> SmallSuite()
    {
        yield return (PgdAttack.Fgsm(PerturbationNorm.LInfinity), 0.1f);
        yield return (PgdAttack.Fgsm(PerturbationNorm.L2), 1.0f);
        yield return (new PgdAttack(PerturbationNorm.LInfinity, steps: 10), 0.1f);
        yield return (new PgdAttack(PerturbationNorm.L2, steps: 10, restarts: 2), 1.0f);
        yield return (new ApgdAttack(ILogitLoss.CrossEntropy, iterations: 20), 0.1f);
        yield return (new ApgdAttack(ILogitLoss.DifferenceOfLogitsRatio, iterations: 20), 0.1f);
        yield return (new ApgdAttack(ILogitLoss.CrossEntropy, PerturbationNorm.L2, iterations: 20), 1.0f);
        yield return (new SquareAttack(maxQueries: 100), 0.1f);
        yield return (new UniformNoiseAttack(draws: 3), 0.1f);
        yield return (new GaussianNoiseAttack(draws: 3), 0.3f);
        yield return (new TransferAttack(Softmax, new PgdAttack(PerturbationNorm.LInfinity, steps: 5)), 0.1f);
    }
}
