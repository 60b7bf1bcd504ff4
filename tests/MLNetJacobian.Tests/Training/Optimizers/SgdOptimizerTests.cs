using MLNetJacobian.Training;

namespace MLNetJacobian.Tests.Training;

public class SgdOptimizerTests
{
    // Hand-computed values are exact in decimal; double rounding of a few operations stays far below 1e-12.
    private const double Tolerance = 1e-12;

    [Fact]
    public void Step_PlainSgd_MovesAgainstGradient()
    {
        var optimizer = new SgdOptimizer<double>(momentum: 0, weightDecay: 0);
        double[] p = [1, -2];
        optimizer.Step(p, [0.5, 0.25], 0.1);
        Assert.Equal(0.95, p[0], Tolerance);
        Assert.Equal(-2.025, p[1], Tolerance);
    }

    [Fact]
    public void Step_WeightDecay_AddedToGradientForEveryParameter()
    {
        // g' = g + 0.1 p = [0.6, 0.05]; p -= 0.1 g'
        var optimizer = new SgdOptimizer<double>(momentum: 0, weightDecay: 0.1);
        double[] p = [1, -2];
        optimizer.Step(p, [0.5, 0.25], 0.1);
        Assert.Equal(0.94, p[0], Tolerance);
        Assert.Equal(-2.005, p[1], Tolerance);
    }

    [Fact]
    public void Step_Momentum_FirstBufferIsGradientThenAccumulates()
    {
        // b1 = 1, p = -0.1 ; b2 = 0.9 + 1 = 1.9, p = -0.1 - 0.19
        var optimizer = new SgdOptimizer<double>(momentum: 0.9, weightDecay: 0);
        double[] p = [0];
        optimizer.Step(p, [1], 0.1);
        Assert.Equal(-0.1, p[0], Tolerance);
        optimizer.Step(p, [1], 0.1);
        Assert.Equal(-0.29, p[0], Tolerance);
    }

    [Fact]
    public void Step_Nesterov_UsesGradientPlusMomentumTimesBuffer()
    {
        // b1 = 1, u1 = 1 + 0.9 = 1.9, p = -0.19 ; b2 = 1.9, u2 = 1 + 0.9 * 1.9 = 2.71, p = -0.19 - 0.271
        var optimizer = new SgdOptimizer<double>(momentum: 0.9, nesterov: true, weightDecay: 0);
        double[] p = [0];
        optimizer.Step(p, [1], 0.1);
        Assert.Equal(-0.19, p[0], Tolerance);
        optimizer.Step(p, [1], 0.1);
        Assert.Equal(-0.461, p[0], Tolerance);
    }

    [Fact]
    public void Step_MomentumWithWeightDecay_DecayEntersTheBuffer()
    {
        // g'1 = 0.5 -> b = 0.5, p = 0.95 ; g'2 = 0.475 -> b = 0.25 + 0.475 = 0.725, p = 0.95 - 0.0725
        var optimizer = new SgdOptimizer<double>(momentum: 0.5, weightDecay: 0.5);
        double[] p = [1];
        optimizer.Step(p, [0], 0.1);
        Assert.Equal(0.95, p[0], Tolerance);
        optimizer.Step(p, [0], 0.1);
        Assert.Equal(0.8775, p[0], Tolerance);
    }

    [Fact]
    public void Reset_AfterSteps_NextStepActsAsFirst()
    {
        var optimizer = new SgdOptimizer<double>(momentum: 0.9, weightDecay: 0);
        double[] p = [0];
        optimizer.Step(p, [1], 0.1);
        optimizer.Step(p, [1], 0.1);
        optimizer.Reset();
        double[] q = [0];
        optimizer.Step(q, [1], 0.1);
        Assert.Equal(-0.1, q[0], Tolerance);
    }

    [Fact]
    public void Step_Float_MatchesDouble()
    {
        var single = new SgdOptimizer<float>(momentum: 0.9, nesterov: true, weightDecay: 0.01);
        var reference = new SgdOptimizer<double>(momentum: 0.9, nesterov: true, weightDecay: 0.01);
        float[] p = [0.3f, -1.7f, 2.5f];
        double[] q = [0.3f, -1.7f, 2.5f];
        for (int step = 0; step < 5; step++)
        {
            single.Step(p, [0.1f, -0.2f, 0.05f], 0.05);
            reference.Step(q, [0.1f, -0.2f, 0.05f], 0.05);
        }

        // A few float roundings of values of size ~2: relative error ~1e-6.
        for (int i = 0; i < p.Length; i++) Assert.Equal(q[i], p[i], 1e-5);
    }

    [Fact]
    public void Constructor_NesterovWithoutMomentum_ThrowsNamingArgument()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer<double>(momentum: 0, nesterov: true));
        Assert.Equal("nesterov", error.ParamName);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Constructor_MomentumOutOfRange_ThrowsWithValue(double momentum)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer<double>(momentum: momentum));
        Assert.Equal("momentum", error.ParamName);
        Assert.Equal(momentum, error.ActualValue);
    }

    [Fact]
    public void Step_GradientLengthMismatch_Throws()
    {
        var optimizer = new SgdOptimizer<double>();
        Assert.Throws<ArgumentException>(() => optimizer.Step(new double[3], new double[2], 0.1));
    }

    [Fact]
    public void Step_NegativeLearningRate_Throws()
    {
        var optimizer = new SgdOptimizer<double>();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Step(new double[1], new double[1], -0.1));
        Assert.Equal("learningRate", error.ParamName);
    }

    [Fact]
    public void SgdOptions_InvalidWeightDecay_ThrowsNamingOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptions { Momentum = 0.9, WeightDecay = -1 });
        Assert.Equal("WeightDecay", error.ParamName);
    }
}
