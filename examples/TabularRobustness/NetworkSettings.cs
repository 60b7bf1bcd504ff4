using System.Globalization;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;

namespace TabularRobustness;

/// <summary>
/// The network settings one data set is trained with (the same for every lambda), and how they map to the trainers'
/// options. Every field can be changed on the command line.
/// </summary>
public sealed record NetworkSettings
{
    /// <summary>Hidden layer widths.</summary>
    public int[] HiddenLayers { get; init; } = [64, 64];

    /// <summary>Hidden activation.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>Passes over the training rows.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Rows per step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Base learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Optimizer.</summary>
    public OptimizerAlgorithm Optimizer { get; init; } = OptimizerAlgorithm.Adam;

    /// <summary>Learning-rate schedule.</summary>
    public LearningRateScheduleKind Schedule { get; init; } = LearningRateScheduleKind.Cosine;

    /// <summary>L2 weight decay.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Regression loss.</summary>
    public RegressionLossFunction Loss { get; init; } = RegressionLossFunction.SquaredError;

    /// <summary>The regression trainer's options for <paramref name="lambda"/>.</summary>
    public JacobianRegularizedRegressionTrainer.Options Regression(double lambda, int seed) => Fill(new JacobianRegularizedRegressionTrainer.Options { LossFunction = Loss }, lambda, seed);

    /// <summary>The binary trainer's options for <paramref name="lambda"/>.</summary>
    public JacobianRegularizedBinaryTrainer.Options Binary(double lambda, int seed) => Fill(new JacobianRegularizedBinaryTrainer.Options(), lambda, seed);

    /// <summary>One line for the tables' captions.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join("-", HiddenLayers)} {Activation}, {Optimizer} lr {LearningRate} ({Schedule}), batch {BatchSize}, {Epochs} epochs, weight decay {WeightDecay}");

    private T Fill<T>(T options, double lambda, int seed) where T : JacobianRegularizedOptions
    {
        options.LabelColumnName = TabularDataSet.Label;
        options.FeatureColumnName = TabularDataSet.Features;
        options.HiddenLayers = [.. HiddenLayers];
        options.Activation = Activation;
        options.JacobianWeight = lambda;
        options.NumberOfEpochs = Epochs;
        options.BatchSize = BatchSize;
        options.LearningRate = LearningRate;
        options.Optimizer = Optimizer;
        options.LearningRateSchedule = Schedule;
        options.WeightDecay = WeightDecay;
        options.Seed = seed;
        return options;
    }
}
