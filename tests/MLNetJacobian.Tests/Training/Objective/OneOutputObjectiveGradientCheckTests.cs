using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Training;
using Xunit.Abstractions;

namespace MLNetJacobian.Tests.Training.Objective;

/// <summary>
/// The full gradient of the one-output objectives (sigmoid log-loss, squared error, Huber, each plus the exact Jacobian
/// penalty) against central finite differences of the loss, for every weight and bias, over every activation, depths
/// 0-3 and with and without example weights.
/// </summary>
public sealed class OneOutputObjectiveGradientCheckTests(ITestOutputHelper output)
{
    private const int Rows = JacobianRegularizedObjectiveGradientCheckTests.Rows;

    // The same five-point stencil and tolerance as the multiclass check (see there for the error budget).
    private const double DoubleTolerance = 1e-8;
    private const double KinkMargin = 0.05;

    // Huber: residuals are kept at least this far from +-delta, so that h = 1e-3 never crosses the loss's kink in the
    // second derivative (the first derivative is continuous there, but the stencil's truncation error is not small).
    private const double HuberDelta = 0.4;
    private const double HuberMargin = 0.02;

    public static TheoryData<string, Activation, int> Cases()
    {
        var data = new TheoryData<string, Activation, int>();
        foreach (string loss in new[] { "sigmoid", "squared", "huber" })
        {
            foreach (Activation activation in Enum.GetValues<Activation>())
            {
                for (int depth = 0; depth <= 3; depth++) data.Add(loss, activation, depth);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_DoublePrecision_GradientMatchesFiniteDifferences(string lossName, Activation activation, int depth)
    {
        int[] hidden = new[] { 5, 6, 4 }[..depth];
        var architecture = new NetworkArchitecture(4, hidden, 1, activation);
        int seed = 5000 + 1000 * (int)activation + 100 * depth + lossName.Length;
        var testCase = ObjectiveTestCase.Create(architecture, Rows, seed, activation == Activation.Relu && depth > 0 ? KinkMargin : 0);
        OutputLoss loss = lossName switch
        {
            "sigmoid" => OutputLoss.SigmoidLogLoss,
            "squared" => OutputLoss.SquaredError,
            _ => OutputLoss.Huber(HuberDelta),
        };
        double[] targets = Targets(lossName, testCase, seed);
        var objective = new JacobianRegularizedObjective<double>(testCase.Network, new ReferenceGemmProvider(), Rows,
            new JacobianPenaltyOptions(JacobianRegularizedObjectiveGradientCheckTests.Lambda), loss);

        double unweighted = JacobianRegularizedObjectiveGradientCheckTests.CheckGradient(objective, testCase, targets, []);
        double weighted = JacobianRegularizedObjectiveGradientCheckTests.CheckGradient(objective, testCase, targets, testCase.Weights);
        output.WriteLine($"{loss} {activation} depth {depth}: max relative error {Math.Max(unweighted, weighted):E2}");
        Assert.True(unweighted <= DoubleTolerance, $"Unweighted: relative error {unweighted:E3} exceeds {DoubleTolerance:E0}.");
        Assert.True(weighted <= DoubleTolerance, $"Weighted: relative error {weighted:E3} exceeds {DoubleTolerance:E0}.");
    }

    /// <summary>
    /// Binary: labels 0 and 1 (both present). Squared error: values in [-2, 2]. Huber: each target puts its row's
    /// residual on a chosen side of delta (rows alternate between the quadratic and the linear part), at least
    /// <see cref="HuberMargin"/> from the kink.
    /// </summary>
    private static double[] Targets(string lossName, ObjectiveTestCase testCase, int seed)
    {
        var random = new Random(seed + 7);
        if (lossName == "sigmoid") return Enumerable.Range(0, Rows).Select(i => (double)(i % 2)).ToArray();
        if (lossName == "squared") return Enumerable.Range(0, Rows).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        var outputs = new double[Rows];
        new NetworkEvaluator<double>(testCase.Network, new ReferenceGemmProvider(), Rows).ComputeLogits(testCase.Inputs, Rows, outputs);
        var targets = new double[Rows];
        for (int i = 0; i < Rows; i++)
        {
            double residual = i % 2 == 0
                ? (HuberDelta - 2 * HuberMargin) * (2 * random.NextDouble() - 1)      // |r| <= delta - 2 margin
                : Math.CopySign(HuberDelta + 2 * HuberMargin + random.NextDouble(), random.NextDouble() - 0.5);
            targets[i] = outputs[i] - residual;
        }

        return targets;
    }
}
