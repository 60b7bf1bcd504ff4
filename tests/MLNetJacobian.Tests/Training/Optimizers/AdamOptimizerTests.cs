using MLNetJacobian.Training;

namespace MLNetJacobian.Tests.Training;

public class AdamOptimizerTests
{
    // The reference below is the same formula in scalar double arithmetic; the vectorised path differs only by
    // rounding order, far below 1e-12 for values of order 1.
    private const double Tolerance = 1e-12;

    [Fact]
    public void Step_FirstStep_MovesByLearningRateAgainstGradientSign()
    {
        // After one step m_hat = g and v_hat = g^2, so the step is lr * g / (|g| + eps) ~ lr * sign(g).
        var optimizer = new AdamOptimizer<double>();
        double[] p = [1, 1];
        optimizer.Step(p, [0.5, -3], 0.1);
        Assert.Equal(0.9, p[0], 1e-7);   // eps / |g| = 2e-8 relative
        Assert.Equal(1.1, p[1], 1e-7);
    }

    [Fact]
    public void Step_ThreeSteps_MatchBiasCorrectedFormula()
    {
        const double lr = 0.01, beta1 = 0.8, beta2 = 0.99, epsilon = 1e-3, weightDecay = 0.1;
        var optimizer = new AdamOptimizer<double>(beta1, beta2, epsilon, weightDecay);
        double[] gradients = [0.5, -0.25, 2.0];
        double[] p = [1.5];
        double expected = 1.5, m = 0, v = 0;
        for (int t = 1; t <= gradients.Length; t++)
        {
            double g = gradients[t - 1] + weightDecay * expected;
            m = beta1 * m + (1 - beta1) * g;
            v = beta2 * v + (1 - beta2) * g * g;
            double mHat = m / (1 - Math.Pow(beta1, t));
            double vHat = v / (1 - Math.Pow(beta2, t));
            expected -= lr * mHat / (Math.Sqrt(vHat) + epsilon);

            optimizer.Step(p, [gradients[t - 1]], lr);
            Assert.Equal(expected, p[0], Tolerance);
        }

        Assert.Equal(3, optimizer.StepCount);
    }

    [Fact]
    public void Reset_AfterSteps_RestartsBiasCorrection()
    {
        var optimizer = new AdamOptimizer<double>();
        double[] p = [0];
        optimizer.Step(p, [1], 0.1);
        optimizer.Step(p, [1], 0.1);
        optimizer.Reset();
        Assert.Equal(0, optimizer.StepCount);
        double[] q = [0];
        optimizer.Step(q, [2], 0.1);
        Assert.Equal(-0.1, q[0], 1e-7);
    }

    [Fact]
    public void Step_Float_MatchesDouble()
    {
        var single = new AdamOptimizer<float>(weightDecay: 0.01);
        var reference = new AdamOptimizer<double>(weightDecay: 0.01);
        float[] p = [0.3f, -1.7f];
        double[] q = [0.3f, -1.7f];
        for (int step = 0; step < 5; step++)
        {
            single.Step(p, [0.1f, -0.2f], 0.01);
            reference.Step(q, [0.1f, -0.2f], 0.01);
        }

        // Float roundings of values of order 1 over five steps: ~1e-6.
        for (int i = 0; i < p.Length; i++) Assert.Equal(q[i], p[i], 1e-5);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    public void Constructor_BetaOutOfRange_ThrowsNamingArgument(double beta)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer<double>(beta2: beta));
        Assert.Equal("beta2", error.ParamName);
        Assert.Equal(beta, error.ActualValue);
    }

    [Fact]
    public void AdamOptions_ZeroEpsilon_ThrowsNamingOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptions { Beta1 = 0.9, Beta2 = 0.999, Epsilon = 0 });
        Assert.Equal("Epsilon", error.ParamName);
    }

    [Fact]
    public void CreateOptimizer_AdamOptions_CarriesSettings()
    {
        var optimizer = (AdamOptimizer<float>)new AdamOptions { Beta1 = 0.5, Beta2 = 0.999, Epsilon = 1e-8, WeightDecay = 0.2 }.CreateOptimizer<float>();
        Assert.Equal(0.5, optimizer.Beta1);
        Assert.Equal(0.999, optimizer.Beta2);
        Assert.Equal(0.2, optimizer.WeightDecay);
    }
}
