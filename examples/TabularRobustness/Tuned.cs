using MLNetJacobian.Network;
using MLNetJacobian.Trainers;

namespace TabularRobustness;

/// <summary>The network settings found for each data set (README, "Tabular data": how they were found and measured).</summary>
public static class Tuned
{
    /// <summary>Taxi fares.</summary>
    public static NetworkSettings Taxi { get; } = new()
    {
        HiddenLayers = [64, 64], Epochs = 10, BatchSize = 128, LearningRate = 3e-3, Optimizer = OptimizerAlgorithm.Adam, Schedule = LearningRateScheduleKind.Cosine,
    };

    /// <summary>Bike sharing.</summary>
    public static NetworkSettings Bike { get; } = new()
    {
        HiddenLayers = [64, 64], Epochs = 20, BatchSize = 64, LearningRate = 3e-3, Optimizer = OptimizerAlgorithm.Adam, Schedule = LearningRateScheduleKind.Cosine,
    };

    /// <summary>Breast cancer.</summary>
    public static NetworkSettings Cancer { get; } = new()
    {
        HiddenLayers = [32], Epochs = 100, BatchSize = 32, LearningRate = 1e-3, Optimizer = OptimizerAlgorithm.Adam, Schedule = LearningRateScheduleKind.Cosine,
        WeightDecay = 1e-4,
    };
}
