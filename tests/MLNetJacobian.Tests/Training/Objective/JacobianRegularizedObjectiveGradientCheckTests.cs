using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Tests.Network;
using MLNetJacobian.Training;
using Xunit.Abstractions;

namespace MLNetJacobian.Tests.Training.Objective;

/// <summary>
/// The full gradient (cross-entropy + Jacobian penalty) against central finite differences of the loss, for every
/// weight and bias, over activations x depths 1-3 x C = 2, 3, 10 x n_proj = 1, 3 and exact, with and without example
/// weights. The projections are fixed so that the loss is a deterministic function of the parameters.
/// </summary>
public sealed class JacobianRegularizedObjectiveGradientCheckTests(ITestOutputHelper output)
{
    internal const int Rows = 3;
    internal const double Lambda = 0.5;

    // Five-point central differences, f'(t) ~ (f(t-2h) - 8 f(t-h) + 8 f(t+h) - f(t+2h)) / (12 h): truncation error
    // h^4 f^(5) / 30 ~ 3e-14 at h = 1e-3 for derivatives of order one, rounding error ~ 1.5 eps |f| / h ~ 3e-13.
    // The error relative to the largest gradient entry is therefore ~1e-11; 1e-8 leaves a wide margin while
    // catching any real mistake (a missing term is of the order of the gradient itself).
    private const double Step = 1e-3;
    private const double DoubleTolerance = 1e-8;

    // ReLU: the loss is smooth only between kinks; the inputs are redrawn until every hidden pre-activation is at
    // least this far from 0, well beyond what a parameter change of 2h = 2e-3 can move it (inputs and hidden values
    // are at most ~2 in size, so one weight change shifts a pre-activation by at most ~4e-3 times a weight product).
    private const double KinkMargin = 0.05;

    public static TheoryData<Activation, int, int, int, bool> Cases()
    {
        var data = new TheoryData<Activation, int, int, int, bool>();
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            for (int depth = 1; depth <= 3; depth++)
            {
                foreach (int classCount in new[] { 2, 3, 10 })
                {
                    data.Add(activation, depth, classCount, 1, false);
                    data.Add(activation, depth, classCount, 3, false);
                    data.Add(activation, depth, classCount, 1, true);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_DoublePrecision_GradientMatchesFiniteDifferences(Activation activation, int depth, int classCount,
        int projectionCount, bool exact)
    {
        int[] hidden = new[] { 5, 6, 4 }[..depth];
        var architecture = new NetworkArchitecture(4, hidden, classCount, activation);
        int seed = 1000 * (int)activation + 100 * depth + 10 * classCount + projectionCount + (exact ? 5 : 0);
        var testCase = ObjectiveTestCase.Create(architecture, Rows, seed, activation == Activation.Relu ? KinkMargin : 0);
        var objective = new JacobianRegularizedObjective<double>(testCase.Network, new ReferenceGemmProvider(), Rows,
            new JacobianPenaltyOptions(Lambda, projectionCount, exact));
        if (!exact)
        {
            objective.Projections = new FixedProjectionSource<double>(
                ObjectiveTestCase.DrawProjections<double>(projectionCount, Rows, classCount, seed + 1), projectionCount, Rows, classCount);
        }

        double unweighted = CheckGradient(objective, testCase, testCase.Targets, []);
        double weighted = CheckGradient(objective, testCase, testCase.Targets, testCase.Weights);
        if (activation == Activation.Relu)
        {
            Assert.True(ObjectiveTestCase.MinimumAbsolutePreActivation(testCase.Network, testCase.Inputs, Rows) > KinkMargin,
                "The parameters were not restored after the finite differences.");
        }

        output.WriteLine($"{activation} depth {depth} C {classCount} {(exact ? "exact" : $"n_proj {projectionCount}")}: " +
            $"max relative error {Math.Max(unweighted, weighted):E2}");
        Assert.True(unweighted <= DoubleTolerance, $"Unweighted: relative error {unweighted:E3} exceeds {DoubleTolerance:E0}.");
        Assert.True(weighted <= DoubleTolerance, $"Weighted: relative error {weighted:E3} exceeds {DoubleTolerance:E0}.");
    }

    [Fact]
    public void Compute_SinglePrecision_GradientMatchesFiniteDifferences()
    {
        var architecture = new NetworkArchitecture(4, [5, 6], 3, Activation.Tanh);
        var testCase = ObjectiveTestCase.Create(architecture, Rows, seed: 7);
        FeedForwardNetwork<float> network = testCase.Network.Convert<float>();
        var objective = new JacobianRegularizedObjective<float>(network, new ReferenceGemmProvider(), Rows,
            new JacobianPenaltyOptions(Lambda, ProjectionCount: 2))
        {
            Projections = new FixedProjectionSource<float>(ObjectiveTestCase.DrawProjections<float>(2, Rows, 3, 8), 2, Rows, 3),
        };
        float[] x = testCase.Inputs.Select(v => (float)v).ToArray();
        float[] targets = testCase.Labels.Select(label => (float)label).ToArray();
        var gradient = new float[network.ParameterCount];
        objective.Compute(x, targets, [], Rows, gradient, new Random(0));
        var scratch = new float[network.ParameterCount];
        var numeric = new double[network.ParameterCount];
        const float step = 1e-2f;
        for (int j = 0; j < numeric.Length; j++)
        {
            float saved = network.Parameters[j];
            double Loss(float offset)
            {
                network.Parameters[j] = saved + offset;
                return objective.Compute(x, targets, [], Rows, scratch, new Random(0)).Loss;
            }

            numeric[j] = (Loss(-2 * step) - 8 * Loss(-step) + 8 * Loss(step) - Loss(2 * step)) / (12 * (double)step);
            network.Parameters[j] = saved;
        }

        // The loss (order 1) is computed in float with rounding error ~ a few 1e-7; the five-point stencil divides it
        // by 12 h / 18 ~ 7e-3, giving ~1e-4 absolute noise per entry, while h^4 truncation is ~1e-8. Relative to the
        // largest gradient entry (order 0.1 to 1) that is ~1e-3 at worst; 5e-3 keeps the test stable yet would still
        // catch any missing or wrong term, which is of the order of the gradient.
        double error = NumericAssert.RelativeError(numeric, NumericAssert.ToDouble<float>(gradient));
        output.WriteLine($"float tanh 4-5-6-3 n_proj 2: max relative error {error:E2}");
        Assert.True(error <= 5e-3, $"Relative error {error:E3} exceeds 5e-3.");
    }

    /// <summary>
    /// Returns the largest |numeric - analytic| relative to the largest analytic entry, after checking that the penalty's
    /// share of the gradient is large enough to be tested.
    /// </summary>
    internal static double CheckGradient(JacobianRegularizedObjective<double> objective, ObjectiveTestCase testCase, double[] targets,
        double[] weights)
    {
        Span<double> parameters = objective.Network.Parameters;
        var analytic = new double[parameters.Length];
        var scratch = new double[parameters.Length];
        BatchLoss loss = objective.Compute(testCase.Inputs, targets, weights, Rows, analytic, new Random(0));
        // The penalty's share of the gradient must be far above the tolerance, or the check would not test it.
        var crossEntropyOnly = new JacobianRegularizedObjective<double>(objective.Network, new ReferenceGemmProvider(), Rows,
            objective.Penalty with { JacobianWeight = 0 }, objective.Loss);
        crossEntropyOnly.Compute(testCase.Inputs, targets, weights, Rows, scratch, new Random(0));
        double penaltyShare = NumericAssert.RelativeError(analytic, scratch);
        Assert.True(penaltyShare > 1e3 * DoubleTolerance, $"The penalty's share of the gradient, {penaltyShare:E2}, is too small to test.");
        var numeric = new double[parameters.Length];
        for (int j = 0; j < parameters.Length; j++)
        {
            double saved = parameters[j];
            double Loss(double offset)
            {
                objective.Network.Parameters[j] = saved + offset;
                return objective.Compute(testCase.Inputs, targets, weights, Rows, scratch, new Random(0)).Loss;
            }

            numeric[j] = (Loss(-2 * Step) - 8 * Loss(-Step) + 8 * Loss(Step) - Loss(2 * Step)) / (12 * Step);
            parameters[j] = saved;
        }

        return NumericAssert.RelativeError(numeric, analytic);
    }
}
