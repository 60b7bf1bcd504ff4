using Microsoft.ML;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

public class JacobianRegularizedTrainerOptionsTests
{
    public static TheoryData<Action<JacobianRegularizedTrainer.Options>, string> OutOfRange() => new()
    {
        { o => o.JacobianWeight = -0.5, "Options.JacobianWeight must be finite and at least 0. (Parameter 'JacobianWeight')\nActual value was -0.5." },
        { o => o.JacobianWeight = double.NaN, "Options.JacobianWeight must be finite and at least 0. (Parameter 'JacobianWeight')\nActual value was NaN." },
        { o => o.LearningRate = 0, "Options.LearningRate must be finite and greater than 0. (Parameter 'LearningRate')\nActual value was 0." },
        { o => o.LearningRate = double.PositiveInfinity, "Options.LearningRate must be finite and greater than 0. (Parameter 'LearningRate')\nActual value was Infinity." },
        { o => o.BatchSize = 0, "Options.BatchSize must be in [1, 65536]. (Parameter 'BatchSize')\nActual value was 0." },
        { o => o.BatchSize = 100_000, "Options.BatchSize must be in [1, 65536]. (Parameter 'BatchSize')\nActual value was 100000." },
        { o => o.NumberOfEpochs = 0, "Options.NumberOfEpochs must be at least 1. (Parameter 'NumberOfEpochs')\nActual value was 0." },
        { o => o.NumberOfProjections = 0, "Options.NumberOfProjections must be at least 1. (Parameter 'NumberOfProjections')\nActual value was 0." },
        { o => o.JacobianSampleFraction = 1.5, "Options.JacobianSampleFraction must be in (0, 1]. (Parameter 'JacobianSampleFraction')\nActual value was 1.5." },
        { o => o.Momentum = 1, "Options.Momentum must be in [0, 1). (Parameter 'Momentum')\nActual value was 1." },
        { o => { o.Momentum = 0; o.UseNesterov = true; }, "Options.UseNesterov needs Options.Momentum greater than 0. (Parameter 'UseNesterov')\nActual value was True." },
        { o => o.WeightDecay = -1e-4, "Options.WeightDecay must be finite and at least 0. (Parameter 'WeightDecay')\nActual value was -0.0001." },
        { o => o.HiddenLayers = [10, 0], "Options.HiddenLayers must hold widths of at least 1, but hidden layer 1 has width 0. (Parameter 'HiddenLayers')\nActual value was 0." },
        { o => o.EarlyStoppingPatience = 0, "Options.EarlyStoppingPatience must be at least 1. (Parameter 'EarlyStoppingPatience')\nActual value was 0." },
        { o => o.NumberOfThreads = 0, "Options.NumberOfThreads must be at least 1. (Parameter 'NumberOfThreads')\nActual value was 0." },
        { o => { o.LearningRateSchedule = LearningRateScheduleKind.StepDecay; o.StepDecayFractions = [0.5, 1.0]; },
            "Options.StepDecayFractions must hold fractions in (0, 1); 1 is not. (Parameter 'StepDecayFractions')\nActual value was 1." },
        { o => o.AdamEpsilon = 0, "Options.AdamEpsilon must be finite and greater than 0. (Parameter 'AdamEpsilon')\nActual value was 0." },
        { o => o.ShuffleWindowSize = 0, "Options.ShuffleWindowSize must be at least 1. (Parameter 'ShuffleWindowSize')\nActual value was 0." },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Constructor_OptionOutOfRange_ThrowsNamingOptionAndValue(Action<JacobianRegularizedTrainer.Options> change, string message)
    {
        var options = new JacobianRegularizedTrainer.Options();
        change(options);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new JacobianRegularizedTrainer(new MLContext(1), options));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Catalog_JacobianWeightOutOfRange_ThrowsNamingOption()
    {
        var context = new MLContext(1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => context.MulticlassClassification.Trainers.JacobianRegularized(jacobianWeight: -1f));

        Assert.Equal("JacobianWeight", error.ParamName);
    }

    [Theory]
    [InlineData(float.NaN, 0.01f, "jacobianWeight")]
    [InlineData(float.PositiveInfinity, 0.01f, "jacobianWeight")]
    [InlineData(0.1f, float.NaN, "learningRate")]
    [InlineData(0.1f, float.NegativeInfinity, "learningRate")]
    public void Catalog_NonFiniteFloat_ArgumentOutOfRangeNamingIt(float jacobianWeight, float learningRate, string name)
    {
        var context = new MLContext(1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            context.MulticlassClassification.Trainers.JacobianRegularized(jacobianWeight: jacobianWeight, learningRate: learningRate));

        Assert.Equal(name, error.ParamName);
        Assert.Contains("finite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_FloatArguments_BecomeTheirShortestDecimal()
    {
        var trainer = new MLContext(1).MulticlassClassification.Trainers.JacobianRegularized(jacobianWeight: 0.1f, learningRate: 0.003f);
        var options = (JacobianRegularizedTrainer.Options)trainer.Settings;
        Assert.Equal(0.1, options.JacobianWeight);
        Assert.Equal(0.003, options.LearningRate);
    }

    [Fact]
    public void Constructor_FeatureColumnNamedScore_Throws()
    {
        var options = new JacobianRegularizedTrainer.Options { FeatureColumnName = "Score" };

        var error = Assert.Throws<ArgumentException>(() => new JacobianRegularizedTrainer(new MLContext(1), options));

        Assert.Equal("Options.FeatureColumnName is 'Score', a column the trainer writes; rename the feature column. (Parameter 'FeatureColumnName')", error.Message);
    }

    [Fact]
    public void Constructor_EmptyLabelColumnName_Throws()
    {
        var options = new JacobianRegularizedTrainer.Options { LabelColumnName = " " };

        var error = Assert.Throws<ArgumentException>(() => new JacobianRegularizedTrainer(new MLContext(1), options));

        Assert.Equal("Options.LabelColumnName must name a column; it is ' '. (Parameter 'LabelColumnName')", error.Message);
    }

    [Fact]
    public void Defaults_FollowReferenceMnistSetting()
    {
        var options = new JacobianRegularizedTrainer.Options();

        Assert.Equal([200, 200], options.HiddenLayers);
        Assert.Equal(MLNetJacobian.Network.Activation.Relu, options.Activation);
        Assert.Equal(MLNetJacobian.Network.WeightInitializer.XavierUniform, options.WeightInitializer);
        Assert.Equal((0.1, 1, false, 1.0), (options.JacobianWeight, options.NumberOfProjections, options.UseExactJacobianNorm, options.JacobianSampleFraction));
        Assert.Equal((OptimizerAlgorithm.Sgd, 0.01, 0.9, false, 5e-4), (options.Optimizer, options.LearningRate, options.Momentum, options.UseNesterov, options.WeightDecay));
        Assert.Equal((64, 5, true), (options.BatchSize, options.NumberOfEpochs, options.Shuffle));
        Assert.Null(options.Seed);
        Assert.Null(options.EarlyStoppingPatience);
    }
}
