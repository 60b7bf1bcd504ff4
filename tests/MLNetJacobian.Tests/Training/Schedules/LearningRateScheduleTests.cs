using MLNetJacobian.Training;

namespace MLNetJacobian.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void Constant_AnyStep_ReturnsBaseRate()
    {
        var schedule = new ConstantSchedule();
        Assert.Equal(0.01, schedule.GetLearningRate(0.01, 0, 5, 0, 10));
        Assert.Equal(0.01, schedule.GetLearningRate(0.01, 4, 5, 9, 10));
    }

    [Fact]
    public void StepDecay_FractionOnEpochBoundary_DecaysAtFirstStepOfThatEpoch()
    {
        // 0.5 of 10 epochs = the start of epoch index 5; 0.75 = 7.5 epochs = step 4 of epoch index 7 with 8 steps.
        var schedule = new StepDecaySchedule([0.75, 0.5], factor: 0.1);
        Assert.Equal(1.0, schedule.GetLearningRate(1.0, 4, 10, 7, 8));
        Assert.Equal(0.1, schedule.GetLearningRate(1.0, 5, 10, 0, 8), 1e-15);
        Assert.Equal(0.1, schedule.GetLearningRate(1.0, 7, 10, 3, 8), 1e-15);
        Assert.Equal(0.01, schedule.GetLearningRate(1.0, 7, 10, 4, 8), 1e-15);
        Assert.Equal(0.01, schedule.GetLearningRate(1.0, 9, 10, 7, 8), 1e-15);
        Assert.Equal([0.5, 0.75], schedule.AtFractions);
    }

    [Fact]
    public void StepDecay_TenthsOfEpochs_DecayExactlyAtBoundary()
    {
        // 0.3 of 10 epochs with 7 steps: step 21 of 70 is 21/70, which rounds to the same double as 0.3.
        var schedule = new StepDecaySchedule([0.3], factor: 0.5);
        Assert.Equal(1.0, schedule.GetLearningRate(1.0, 2, 10, 6, 7));
        Assert.Equal(0.5, schedule.GetLearningRate(1.0, 3, 10, 0, 7));
    }

    [Fact]
    public void Cosine_KnownSteps_FollowHalfCosine()
    {
        var schedule = new CosineSchedule();
        Assert.Equal(0.1, schedule.GetLearningRate(0.1, 0, 4, 0, 5));
        Assert.Equal(0.05, schedule.GetLearningRate(0.1, 2, 4, 0, 5), 1e-15);               // t = 1/2
        Assert.Equal(0.1 * (1 + Math.Cos(Math.PI * 0.25)) / 2, schedule.GetLearningRate(0.1, 1, 4, 0, 5), 1e-15);
        Assert.True(schedule.GetLearningRate(0.1, 3, 4, 4, 5) < 0.001);                     // t = 19/20, near zero
    }

    [Fact]
    public void Cosine_WithFloor_HalfwayIsMidpointOfBaseAndFloor()
    {
        var schedule = new CosineSchedule(floorFraction: 0.2);
        Assert.Equal(0.6, schedule.GetLearningRate(1.0, 1, 2, 0, 3), 1e-15);
        Assert.True(schedule.GetLearningRate(1.0, 1, 2, 2, 3) > 0.2);
    }

    [Fact]
    public void StepDecay_FractionOutsideUnitInterval_ThrowsWithValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecaySchedule([0.5, 1.0]));
        Assert.Equal("atFractions", error.ParamName);
        Assert.Equal(1.0, error.ActualValue);
    }

    [Fact]
    public void StepDecay_NoFractions_Throws()
    {
        Assert.Throws<ArgumentException>(() => new StepDecaySchedule([]));
    }

    [Fact]
    public void StepDecay_FactorAboveOne_ThrowsWithValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecaySchedule([0.5], factor: 2));
        Assert.Equal("factor", error.ParamName);
    }

    [Fact]
    public void Cosine_NegativeFloor_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(-0.1));
        Assert.Equal("floorFraction", error.ParamName);
    }

    [Theory]
    [InlineData(5, 5, 0, 1, "epoch")]
    [InlineData(0, 5, 3, 3, "step")]
    [InlineData(0, 0, 0, 1, "totalEpochs")]
    [InlineData(0, 5, 0, 0, "stepsPerEpoch")]
    public void GetLearningRate_IndexOutOfRange_ThrowsNamingArgument(int epoch, int totalEpochs, int step, int stepsPerEpoch, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule().GetLearningRate(0.1, epoch, totalEpochs, step, stepsPerEpoch));
        Assert.Equal(name, error.ParamName);
    }
}
