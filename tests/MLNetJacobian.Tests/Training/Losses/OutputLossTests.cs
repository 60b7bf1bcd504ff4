using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Training;

namespace MLNetJacobian.Tests.Training.Objective;

/// <summary>The heads and losses: their values against closed forms, and the errors for outputs and targets they cannot take.</summary>
public sealed class OutputLossTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(2.5, 0.0)]
    [InlineData(-40.0, 1.0)]
    [InlineData(40.0, 0.0)]
    public void SigmoidLogLoss_Compute_MatchesClosedFormWithoutOverflow(double z, double y)
    {
        var gradient = new double[1];
        double loss = OutputLoss.SigmoidLogLoss.Compute<double>([z], 1, [y], [], 1, gradient, out _);
        double sigmoid = 1 / (1 + Math.Exp(-z));
        // log(1 + exp(z)) - y z, written so that neither branch overflows for |z| = 40.
        double expected = y == 1 ? Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
        Assert.Equal(expected, loss, 12);
        Assert.Equal(sigmoid - y, gradient[0], 12);
    }

    [Fact]
    public void SigmoidLogLoss_Compute_CountsScoreAboveZeroAsPositive()
    {
        OutputLoss.SigmoidLogLoss.Compute<double>([0.5, -0.5, 0.5, 0.0], 1, [1, 0, 0, 1], [], 4, [], out int correct);
        Assert.Equal(2, correct);
    }

    [Fact]
    public void SquaredErrorAndHuber_Compute_MatchClosedForms()
    {
        var gradient = new double[3];
        double squared = OutputLoss.SquaredError.Compute<double>([1, 2, 3], 1, [0, 2, 5], [1, 2, 0.5], 3, gradient, out int correct);
        Assert.Equal(1 * 1 + 0 + 0.5 * 4, squared, 12);
        Assert.Equal([2, 0, 0.5 * -4], gradient);
        Assert.Equal(0, correct);

        double huber = OutputLoss.Huber(1).Compute<double>([1, 2, 3], 1, [0.5, 2, 6], [], 3, gradient, out _);
        Assert.Equal(0.5 * 0.25 + 0 + 1 * (3 - 0.5), huber, 12);
        Assert.Equal([0.5, 0, -1], gradient);
    }

    [Fact]
    public void Huber_NonPositiveDelta_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OutputLoss.Huber(0));
        Assert.Equal("delta", error.ParamName);
        Assert.StartsWith("The Huber delta must be finite and greater than 0.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Objective_SoftmaxOnOneOutput_ThrowsSayingWhatToUse()
    {
        var network = FeedForwardNetwork<double>.Create(new NetworkArchitecture(3, [4], 1, Activation.Tanh), WeightInitializer.XavierUniform, new Random(1));
        var error = Assert.Throws<ArgumentException>(() =>
            new JacobianRegularizedObjective<double>(network, new ReferenceGemmProvider(), 4, new JacobianPenaltyOptions(0.1)));
        Assert.StartsWith("The softmax cross-entropy needs at least 2 outputs (classes); the network has 1. " +
            "For one output use the sigmoid log-loss (binary) or a regression loss.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Objective_OneOutputLossOnSeveralOutputs_Throws()
    {
        var network = FeedForwardNetwork<double>.Create(new NetworkArchitecture(3, [4], 2, Activation.Tanh), WeightInitializer.XavierUniform, new Random(1));
        var error = Assert.Throws<ArgumentException>(() =>
            new JacobianRegularizedObjective<double>(network, new ReferenceGemmProvider(), 4, new JacobianPenaltyOptions(0.1), OutputLoss.SquaredError));
        Assert.StartsWith("The squared error acts on one output; the network has 2.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Objective_ProjectionsOnOneOutput_ThrowsSayingThePenaltyIsExact()
    {
        var network = FeedForwardNetwork<double>.Create(new NetworkArchitecture(3, [4], 1, Activation.Tanh), WeightInitializer.XavierUniform, new Random(1));
        var error = Assert.Throws<ArgumentException>(() => new JacobianRegularizedObjective<double>(network, new ReferenceGemmProvider(), 4,
            new JacobianPenaltyOptions(0.1, ProjectionCount: 3), OutputLoss.SigmoidLogLoss));
        Assert.Equal("ProjectionCount", error.ParamName);
        Assert.StartsWith("The network has one output, so its Jacobian is one row and the penalty is exact; random projections do not apply. " +
            "ProjectionCount is 3: leave it at 1.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("binary", 2.0, "The target of row 1 is 2; a binary target must lie in [0, 1] (0 = negative, 1 = positive).")]
    [InlineData("regression", double.NaN, "The target of row 1 is NaN; regression targets must be finite.")]
    [InlineData("regression", double.PositiveInfinity, "The target of row 1 is Infinity; regression targets must be finite.")]
    public void Objective_InvalidTarget_ThrowsNamingRowAndValue(string task, double badTarget, string message)
    {
        var network = FeedForwardNetwork<double>.Create(new NetworkArchitecture(3, [4], 1, Activation.Tanh), WeightInitializer.XavierUniform, new Random(1));
        var objective = new JacobianRegularizedObjective<double>(network, new ReferenceGemmProvider(), 2, new JacobianPenaltyOptions(0.1),
            task == "binary" ? OutputLoss.SigmoidLogLoss : OutputLoss.Huber(1));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            objective.Compute(new double[6], [0, badTarget], [], 2, new double[objective.ParameterCount], new Random(1)));
        Assert.Equal("targets", error.ParamName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
