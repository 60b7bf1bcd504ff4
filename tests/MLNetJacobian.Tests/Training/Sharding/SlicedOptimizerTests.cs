using MLNetJacobian.Training;

namespace MLNetJacobian.Tests.Training.Sharding;

/// <summary>The optimizers' update in parallel slices: the same bits as one pass, and the same divergence check.</summary>
public sealed class SlicedOptimizerTests
{
    private const int Count = 5 * 16_384 + 13;   // five slices and a ragged tail, above the parallel threshold

    public static TheoryData<string> Optimizers() => new() { "sgd", "nesterov", "adam" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Step_TwoAndThreeThreads_SameParametersAsOne(string kind)
    {
        float[] expected = Run(kind, 1, poisonAt: -1, out bool finiteOne);
        float[] two = Run(kind, 2, poisonAt: -1, out bool finiteTwo);
        float[] three = Run(kind, 3, poisonAt: -1, out bool finiteThree);
        Assert.True(finiteOne && finiteTwo && finiteThree);
        Assert.Equal(expected, two);
        Assert.Equal(expected, three);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Step_NaNInTheLastSlice_ReportsNonFinite(string kind)
    {
        Run(kind, 2, poisonAt: Count - 5, out bool finite);
        Assert.False(finite);
    }

    [Fact]
    public void Threads_BelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer<float> { Threads = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer<double> { Threads = -1 });
    }

    private static float[] Run(string kind, int threads, int poisonAt, out bool finite)
    {
        IOptimizer<float> optimizer = kind switch
        {
            "sgd" => new SgdOptimizer<float>(0.9, false, 5e-4) { Threads = threads },
            "nesterov" => new SgdOptimizer<float>(0.8, true, 1e-3) { Threads = threads },
            _ => new AdamOptimizer<float>(weightDecay: 1e-3) { Threads = threads },
        };
        var random = new Random(17);
        float[] parameters = Enumerable.Range(0, Count).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var gradient = new float[Count];
        finite = true;
        for (int step = 0; step < 3; step++)
        {
            for (int j = 0; j < Count; j++) gradient[j] = (float)(random.NextDouble() - 0.5);
            if (step == 2 && poisonAt >= 0) gradient[poisonAt] = float.NaN;
            finite &= optimizer.Step(parameters, gradient, 0.05);
        }

        return parameters;
    }
}
