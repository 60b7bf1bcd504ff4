using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Training;
using Xunit.Abstractions;

namespace MLNetJacobian.Tests.Network;

/// <summary>
/// The objective's gradient (cross-entropy + Jacobian penalty) on convolutional networks with pooling and dropout,
/// against central finite differences of the loss in double. Dropout's masks come from the objective's random source,
/// reseeded for every evaluation, so the loss is a deterministic function of the parameters and the penalty is that of
/// the same dropped-out network as the cross-entropy.
/// </summary>
public sealed class ConvolutionalObjectiveGradientTests(ITestOutputHelper output)
{
    // Five-point central differences at h = 1e-4: truncation h^4 f^(5) / 30 ~ 3e-18, rounding ~1.5 eps |f| / h ~ 3e-12;
    // 1e-7 relative to the largest entry leaves a wide margin and catches any missing term (of the gradient's order).
    // The step is small because max pooling makes the Jacobian, hence the penalty, jump where a window's winner changes
    // (after dropout, a kept value crossing the zeros of dropped ones): at h = 1e-3 the LeNet-like case below crosses
    // such a jump (the loss moves by 4e-3), while differences at 1e-5 and 1e-7 agree with the gradient to 8 digits.
    private const double Step = 1e-4;
    private const double Tolerance = 1e-7;

    [Theory]
    [InlineData("conv 3 3 stride 2 pad 1, tanh, avgpool 2 stride 1, dense 5, tanh, dropout 0.4", 2, false, 0.7)]
    [InlineData("conv 2 3x2 pad 1x0, softplus, conv 3 2, gelu, globalavgpool, dropout 0.3", 1, true, 50)]
    [InlineData("conv 4 3, tanh, dropout 0.5, maxpool 2, dense 6, gelu", 3, false, 0.7)]
    [InlineData("conv 4 3, tanh, dropout 0.5, maxpool 2, dense 6, gelu", 1, true, 0.7)]
    public void Compute_ConvolutionalNetwork_GradientMatchesFiniteDifferences(string layers, int projections, bool exact, double lambda)
    {
        const int rows = 3, classCount = 3;
        var architecture = new NetworkArchitecture(new ImageShape(2, 7, 6), NetworkLayers.Parse(layers), classCount);
        var network = FeedForwardNetwork<double>.Create(architecture, WeightInitializer.XavierUniform, new Random(11));
        var random = new Random(12);
        for (int j = 0; j < network.ParameterCount; j++) network.Parameters[j] += 0.1 * (random.NextDouble() - 0.5);   // non-zero biases
        double[] x = Enumerable.Range(0, rows * architecture.InputSize).Select(_ => random.NextDouble()).ToArray();
        double[] labels = [0, 2, 1];   // class indices as the objective's targets
        var objective = new JacobianRegularizedObjective<double>(network, new ReferenceGemmProvider(), rows,
            new JacobianPenaltyOptions(lambda, projections, exact));
        if (!exact)
        {
            double[] seeds = Enumerable.Range(0, projections * rows * classCount).Select(_ => random.NextDouble() - 0.5).ToArray();
            objective.Projections = new FixedProjectionSource<double>(seeds, projections, rows, classCount);
        }

        var gradient = new double[network.ParameterCount];
        BatchLoss reference = objective.Compute(x, labels, [], rows, gradient, new Random(99));
        Assert.True(reference.Penalty > 1e-3 * reference.Loss, "The penalty contributes.");
        var scratch = new double[network.ParameterCount];
        double Loss() => objective.Compute(x, labels, [], rows, scratch, new Random(99)).Loss;
        var expected = new double[network.ParameterCount];
        for (int q = 0; q < expected.Length; q++)
        {
            double saved = network.Parameters[q];
            double F(double t)
            {
                network.Parameters[q] = saved + t;
                return Loss();
            }

            expected[q] = (F(-2 * Step) - 8 * F(-Step) + 8 * F(Step) - F(2 * Step)) / (12 * Step);
            network.Parameters[q] = saved;
        }

        double error = NumericAssert.Close(expected, gradient, Tolerance, "gradient");
        output.WriteLine($"{layers}: max relative error {error:E2}");
    }
}
