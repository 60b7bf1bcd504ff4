using MLNetJacobian.Training;
using static MLNetJacobian.Tests.Training.TrainingTestData;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Training;

public class NetworkTrainerFailureTests
{
    // 96 rows in batches of 16: 6 batches per epoch, so call 13 is epoch 3, batch 1.
    private static readonly NetworkTrainerOptions Options = JacobianRegularizedTrainer.EngineOptions(new() { NumberOfEpochs = 6, BatchSize = 16, LearningRate = 0.1 });

    private static (double[] Parameters, SoftmaxRegressionObjective Objective) Model()
    {
        double[] parameters = NewParameters();
        return (parameters, new SoftmaxRegressionObjective(parameters, FeatureCount, ClassCount, 32));
    }

    /// <summary>A progress sink that keeps a copy of the parameters at every epoch end.</summary>
    private static ListProgress<EpochMetrics> Snapshots(double[] parameters, List<double[]> snapshots) =>
        new(_ => snapshots.Add((double[])parameters.Clone()));

    [Theory]
    [InlineData(13, 1)]
    [InlineData(15, 3)]
    public void Train_NanLossInEpochThree_ThrowsNamingEpochAndRestoresEpochTwo(int firstFaultyCall, int expectedBatch)
    {
        var (parameters, inner) = Model();
        var snapshots = new List<double[]>();
        var objective = new FaultyObjective(inner, firstFaultyCall, Fault.NanLoss);

        var error = Assert.Throws<TrainingDivergedException>(() => new NetworkTrainer<double>().Train(parameters, objective,
            Blobs(96, 1), null, null, Options, new Random(2), Snapshots(parameters, snapshots)));

        Assert.Equal(3, error.Epoch);
        Assert.Equal(expectedBatch, error.Batch);
        Assert.Equal(2, error.RestoredEpoch);
        Assert.Contains($"epoch 3, batch {expectedBatch}", error.Message);
        Assert.Contains("NaN", error.Message);
        Assert.Contains("smaller learning rate", error.Message);
        Assert.Contains("Jacobian weight (lambda)", error.Message);
        Assert.Equal(2, error.History.Epochs.Count);
        Assert.All(parameters, p => Assert.True(double.IsFinite(p)));
        Assert.Equal(snapshots[1], parameters);
    }

    [Fact]
    public void Train_InfiniteGradient_ThrowsBeforeTheStepAndRestores()
    {
        var (parameters, inner) = Model();
        var snapshots = new List<double[]>();
        var objective = new FaultyObjective(inner, 8, Fault.InfiniteGradient);

        var error = Assert.Throws<TrainingDivergedException>(() => new NetworkTrainer<double>().Train(parameters, objective,
            Blobs(96, 1), null, null, Options, new Random(2), Snapshots(parameters, snapshots)));

        Assert.Equal(2, error.Epoch);
        Assert.Equal(2, error.Batch);
        Assert.Contains("gradient", error.Message);
        Assert.Equal(snapshots[0], parameters);
    }

    [Fact]
    public void Train_UpdateOverflowsInFirstBatch_RestoresInitialParameters()
    {
        var (parameters, inner) = Model();
        parameters[0] = 0.25;
        double[] initial = (double[])parameters.Clone();
        var objective = new FaultyObjective(inner, 1, Fault.HugeGradient);
        var options = Options with { LearningRate = 4, Optimizer = new SgdOptions { Momentum = 0, WeightDecay = 0 } };

        var error = Assert.Throws<TrainingDivergedException>(() => new NetworkTrainer<double>().Train(parameters, objective,
            Blobs(96, 1), null, null, options, new Random(2), null));

        Assert.Equal(1, error.Epoch);
        Assert.Equal(0, error.RestoredEpoch);
        Assert.Contains("parameters became non-finite", error.Message);
        Assert.Contains("initial parameters", error.Message);
        Assert.Empty(error.History.Epochs);
        Assert.Equal(initial, parameters);
    }

    [Fact]
    public void Train_ValidationLossRising_StopsEarlyAndRestoresBest()
    {
        // Validation labels are shifted by one class: the better the model fits the training blobs, the worse the
        // validation cross-entropy, so the best epoch comes first and patience runs out.
        var (parameters, objective) = Model();
        var snapshots = new List<double[]>();
        var options = Options with { Epochs = 20, EarlyStoppingPatience = 2 };

        TrainingHistory history = new NetworkTrainer<double>().Train(parameters, objective, Blobs(96, 1),
            Blobs(60, 2, flipLabels: true), objective, options, new Random(2), Snapshots(parameters, snapshots));

        Assert.True(history.StoppedEarly);
        Assert.Equal(history.BestEpoch + 2, history.Epochs.Count);
        Assert.Equal(history.BestEpoch, history.ParametersFromEpoch);
        Assert.Equal(history.Epochs.MinBy(e => e.ValidationLoss)!.Epoch, history.BestEpoch);
        Assert.Equal(snapshots[history.BestEpoch - 1], parameters);
        Assert.NotEqual(snapshots[^1], parameters);
    }

    [Fact]
    public void Train_EarlyStopWithoutRestore_KeepsLastParameters()
    {
        var (parameters, objective) = Model();
        var snapshots = new List<double[]>();
        var options = Options with { Epochs = 20, EarlyStoppingPatience = 2, RestoreBestOnEarlyStop = false };

        TrainingHistory history = new NetworkTrainer<double>().Train(parameters, objective, Blobs(96, 1),
            Blobs(60, 2, flipLabels: true), objective, options, new Random(2), Snapshots(parameters, snapshots));

        Assert.True(history.StoppedEarly);
        Assert.Equal(history.Epochs.Count, history.ParametersFromEpoch);
        Assert.Equal(snapshots[^1], parameters);
    }

    [Fact]
    public void Train_ImprovingValidation_RunsEveryEpoch()
    {
        var (parameters, objective) = Model();
        TrainingHistory history = new NetworkTrainer<double>().Train(parameters, objective, Blobs(96, 1), Blobs(60, 2), objective,
            Options with { EarlyStoppingPatience = 3 }, new Random(2), null);
        Assert.False(history.StoppedEarly);
        Assert.Equal(6, history.Epochs.Count);
    }

    [Fact]
    public void Train_CancelledDuringEpochTwo_ThrowsWithFiniteParameters()
    {
        var (parameters, objective) = Model();
        using var cancellation = new CancellationTokenSource();
        var options = Options with
        {
            CancellationToken = cancellation.Token,
            BatchCompleted = p => { if (p.Epoch == 2 && p.Batch == 3) cancellation.Cancel(); },
        };

        Assert.Throws<OperationCanceledException>(() => new NetworkTrainer<double>().Train(parameters, objective, Blobs(96, 1),
            null, null, options, new Random(2), null));
        Assert.Equal(9, objective.ComputeCalls);
        Assert.All(parameters, p => Assert.True(double.IsFinite(p)));
    }

    [Fact]
    public void Train_AlreadyCancelled_ThrowsBeforeAnyBatch()
    {
        var (parameters, objective) = Model();
        var options = Options with { CancellationToken = new CancellationToken(canceled: true) };
        Assert.Throws<OperationCanceledException>(() => new NetworkTrainer<double>().Train(parameters, objective, Blobs(96, 1),
            null, null, options, new Random(2), null));
        Assert.Equal(0, objective.ComputeCalls);
    }

    [Fact]
    public void Train_PatienceWithoutValidation_ThrowsNamingValidation()
    {
        var (parameters, objective) = Model();
        var error = Assert.Throws<ArgumentException>(() => new NetworkTrainer<double>().Train(parameters, objective, Blobs(96, 1),
            null, null, Options with { EarlyStoppingPatience = 2 }, new Random(2), null));
        Assert.Equal("validation", error.ParamName);
    }

    [Fact]
    public void Train_BatchLargerThanObjectiveMaximum_ThrowsWithValue()
    {
        var (parameters, objective) = Model();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkTrainer<double>().Train(parameters, objective,
            Blobs(96, 1), null, null, Options with { BatchSize = 64 }, new Random(2), null));
        Assert.Equal(64, error.ActualValue);
        Assert.Contains("32", error.Message);
    }

    [Fact]
    public void Train_ParameterBufferWrongLength_Throws()
    {
        var (_, objective) = Model();
        var error = Assert.Throws<ArgumentException>(() => new NetworkTrainer<double>().Train(new double[3], objective,
            Blobs(96, 1), null, null, Options, new Random(2), null));
        Assert.Equal("parameters", error.ParamName);
    }

    [Fact]
    public void Train_ValidationFeatureCountDiffers_Throws()
    {
        var (parameters, objective) = Model();
        var validation = new InMemoryTrainingData<double>(new double[6], [0, 1], 3, ClassCount);
        var error = Assert.Throws<ArgumentException>(() => new NetworkTrainer<double>().Train(parameters, objective,
            Blobs(96, 1), validation, objective, Options, new Random(2), null));
        Assert.Equal("validation", error.ParamName);
    }

    [Theory]
    [InlineData(nameof(NetworkTrainerOptions.Epochs))]
    [InlineData(nameof(NetworkTrainerOptions.BatchSize))]
    [InlineData(nameof(NetworkTrainerOptions.LearningRate))]
    [InlineData(nameof(NetworkTrainerOptions.EarlyStoppingPatience))]
    public void Options_NonPositiveSetting_ThrowsNamingSetting(string setting)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => setting switch
        {
            nameof(NetworkTrainerOptions.Epochs) => Options with { Epochs = 0 },
            nameof(NetworkTrainerOptions.BatchSize) => Options with { BatchSize = 0 },
            nameof(NetworkTrainerOptions.LearningRate) => Options with { LearningRate = 0 },
            _ => Options with { EarlyStoppingPatience = 0 },
        });
        Assert.Equal(setting, error.ParamName);
        Assert.Equal(0, Convert.ToDouble(error.ActualValue));
    }
}
