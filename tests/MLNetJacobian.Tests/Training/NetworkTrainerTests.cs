using MLNetJacobian.Training;
using static MLNetJacobian.Tests.Training.TrainingTestData;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Training;

public class NetworkTrainerTests
{
    private static readonly NetworkTrainerOptions Fast = JacobianRegularizedTrainer.EngineOptions(new() { NumberOfEpochs = 8, BatchSize = 16, LearningRate = 0.1 });

    private static (double[] Parameters, SoftmaxRegressionObjective Objective) Model(double reportedNormSquared = double.NaN)
    {
        double[] parameters = NewParameters();
        return (parameters, new SoftmaxRegressionObjective(parameters, FeatureCount, ClassCount, 32) { ReportedJacobianNormSquared = reportedNormSquared });
    }

    [Fact]
    public void Train_SoftmaxRegressionOnBlobs_ConvergesAndReportsEveryEpoch()
    {
        var (parameters, objective) = Model();
        var progress = new ListProgress<EpochMetrics>();
        TrainingHistory history = new NetworkTrainer<double>().Train(parameters, objective, Blobs(300, 1), Blobs(150, 2), objective,
            Fast, new Random(5), progress);

        Assert.Equal(8, history.Epochs.Count);
        Assert.Equal(history.Epochs, progress.Reports);
        Assert.False(history.StoppedEarly);
        Assert.Equal(8, history.ParametersFromEpoch);
        EpochMetrics first = history.Epochs[0], last = history.Last!;
        Assert.True(last.Loss < first.Loss / 2, $"loss {first.Loss} -> {last.Loss}");
        Assert.True(last.TrainingAccuracy > 0.95, $"training accuracy {last.TrainingAccuracy}");
        Assert.True(last.ValidationAccuracy > 0.95, $"validation accuracy {last.ValidationAccuracy}");
        Assert.Equal(last.Loss, last.DataLoss + last.Penalty, 1e-12);
        Assert.True(double.IsNaN(last.RmsJacobianNormEstimate));
        Assert.All(history.Epochs, e => Assert.True(e.ExamplesPerSecond > 0));
        Assert.All(history.Epochs, e => Assert.Equal(0.1, e.LearningRate));
        Assert.Equal(Enumerable.Range(1, 8), history.Epochs.Select(e => e.Epoch));
        Assert.True(history.Epochs.Zip(history.Epochs.Skip(1)).All(pair => pair.First.Elapsed <= pair.Second.Elapsed));
        Assert.Equal(history.Epochs.MinBy(e => e.ValidationLoss)!.Epoch, history.BestEpoch);
    }

    [Fact]
    public void Train_Adam_Converges()
    {
        var (parameters, objective) = Model();
        var options = Fast with { Optimizer = new AdamOptions { Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8 }, LearningRate = 0.05 };
        TrainingHistory history = new NetworkTrainer<double>().Train(parameters, objective, Blobs(300, 1), null, null, options, new Random(5), null);
        Assert.True(history.Last!.TrainingAccuracy > 0.95, $"training accuracy {history.Last.TrainingAccuracy}");
        Assert.Equal(8, history.BestEpoch);
    }

    [Fact]
    public void Train_SameSeed_IdenticalHistoryAndParameters()
    {
        (double[] Parameters, TrainingHistory History) Run(int seed)
        {
            var (parameters, objective) = Model();
            var history = new NetworkTrainer<double>().Train(parameters, objective, Blobs(200, 1), Blobs(60, 2), objective,
                Fast with { Optimizer = new SgdOptions { Momentum = 0.9, WeightDecay = 5e-4, Nesterov = true } }, new Random(seed), null);
            return (parameters, history);
        }

        var a = Run(11);
        var b = Run(11);
        var c = Run(12);
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.Equal(a.History.Epochs.Select(e => (e.Loss, e.TrainingAccuracy, e.ValidationLoss, e.ValidationAccuracy)),
            b.History.Epochs.Select(e => (e.Loss, e.TrainingAccuracy, e.ValidationLoss, e.ValidationAccuracy)));
        Assert.NotEqual(a.Parameters, c.Parameters);
    }

    [Fact]
    public void Train_NoShuffle_IndependentOfSeed()
    {
        double[] Run(int seed)
        {
            var (parameters, objective) = Model();
            new NetworkTrainer<double>().Train(parameters, objective, Blobs(100, 1), null, null, Fast with { ShuffleEachEpoch = false },
                new Random(seed), null);
            return parameters;
        }

        Assert.Equal(Run(1), Run(2));
    }

    [Fact]
    public void Train_ValidationThroughObjective_MatchesScorer()
    {
        TrainingHistory Run(bool useScorer)
        {
            var (parameters, objective) = Model();
            return new NetworkTrainer<double>().Train(parameters, objective, Blobs(100, 1), Blobs(50, 2), useScorer ? objective : null,
                Fast with { Epochs = 3 }, new Random(3), null);
        }

        var withScorer = Run(true);
        var withObjective = Run(false);
        for (int e = 0; e < 3; e++)
        {
            // Same logits, different summation order (weighted mean of batch means vs one sum): ~1e-16 relative.
            Assert.Equal(withScorer.Epochs[e].ValidationLoss!.Value, withObjective.Epochs[e].ValidationLoss!.Value, 1e-12);
            Assert.Equal(withScorer.Epochs[e].ValidationAccuracy, withObjective.Epochs[e].ValidationAccuracy);
        }
    }

    [Fact]
    public void Train_ConstantWeights_SameAsUnweighted()
    {
        double[] Run(double[]? weights)
        {
            var (parameters, objective) = Model();
            new NetworkTrainer<double>().Train(parameters, objective, Blobs(100, 1, weights: weights), null, null, Fast, new Random(3), null);
            return parameters;
        }

        double[] unweighted = Run(null);
        double[] constant = Run(Enumerable.Repeat(3.0, 100).ToArray());
        double[] varying = Run(Enumerable.Range(0, 100).Select(i => (double)(i % 5)).ToArray());
        // Weights normalised per batch: only rounding differs (~1e-16 per operation over a few hundred steps).
        for (int i = 0; i < unweighted.Length; i++) Assert.Equal(unweighted[i], constant[i], 1e-10);
        Assert.Contains(unweighted.Zip(varying), pair => Math.Abs(pair.First - pair.Second) > 1e-3);
    }

    [Fact]
    public void Train_ObjectiveReportsNormSquared_MetricIsItsSquareRoot()
    {
        var (parameters, objective) = Model(reportedNormSquared: 6.25);
        TrainingHistory history = new NetworkTrainer<double>().Train(parameters, objective, Blobs(50, 1), null, null,
            Fast with { Epochs = 2 }, new Random(3), null);
        Assert.All(history.Epochs, e => Assert.Equal(2.5, e.RmsJacobianNormEstimate, 1e-12));
    }

    [Fact]
    public void Train_StepDecayAtHalf_EpochRatesDrop()
    {
        var (parameters, objective) = Model();
        var options = Fast with { Epochs = 4, Schedule = new StepDecaySchedule([0.5], 0.1) };
        TrainingHistory history = new NetworkTrainer<double>().Train(parameters, objective, Blobs(64, 1), null, null, options, new Random(3), null);
        double[] rates = history.Epochs.Select(e => e.LearningRate).ToArray();
        Assert.Equal(0.1, rates[0]);
        Assert.Equal(0.1, rates[1]);
        Assert.Equal(0.01, rates[2], 1e-15);
        Assert.Equal(0.01, rates[3], 1e-15);
    }

    [Fact]
    public void Train_CosineSchedule_BatchRatesDecreaseFromBase()
    {
        var rates = new List<double>();
        var (parameters, objective) = Model();
        var options = Fast with { Epochs = 3, Schedule = new CosineSchedule(), BatchCompleted = p => rates.Add(p.LearningRate) };
        new NetworkTrainer<double>().Train(parameters, objective, Blobs(64, 1), null, null, options, new Random(3), null);
        Assert.Equal(12, rates.Count);   // 3 epochs x 4 batches of 16
        Assert.Equal(0.1, rates[0]);
        Assert.True(rates.Zip(rates.Skip(1)).All(pair => pair.Second < pair.First));
        Assert.Equal(0.1 * (1 + Math.Cos(Math.PI * 11 / 12)) / 2, rates[^1], 1e-15);
    }

    [Fact]
    public void Train_UnknownRowCount_FirstEpochUsesEpochLevelRateThenSteps()
    {
        var rates = new List<double>();
        var (parameters, objective) = Model();
        var options = Fast with { Epochs = 2, Schedule = new CosineSchedule(), BatchCompleted = p => rates.Add(p.LearningRate) };
        new NetworkTrainer<double>().Train(parameters, objective, new UnknownLengthData(Blobs(64, 1)), null, null, options, new Random(3), null);
        Assert.Equal(8, rates.Count);
        Assert.All(rates.Take(4), rate => Assert.Equal(0.1, rate));
        Assert.Equal(0.05, rates[4], 1e-15);   // epoch 2 step 0 of 4: t = 4/8
        Assert.True(rates[7] < rates[4]);
    }

    [Fact]
    public void Train_BatchCompleted_ReportsRowsAndBatches()
    {
        var reports = new List<BatchProgress>();
        var (parameters, objective) = Model();
        new NetworkTrainer<double>().Train(parameters, objective, Blobs(40, 1), null, null,
            Fast with { Epochs = 1, BatchCompleted = reports.Add }, new Random(3), null);
        Assert.Equal([1, 2, 3], reports.Select(r => r.Batch));
        Assert.Equal([16L, 32L, 40L], reports.Select(r => r.RowsDone));
        Assert.All(reports, r => Assert.Equal(40L, r.RowsPerEpoch));
    }

    /// <summary>Hides the row count, as a streaming source whose length is unknown.</summary>
    private sealed class UnknownLengthData(ITrainingData<double> inner) : ITrainingData<double>
    {
        public int FeatureCount => inner.FeatureCount;

        public bool HasWeights => inner.HasWeights;

        public long? RowCount => null;

        public void StartEpoch(Random? shuffleRandom) => inner.StartEpoch(shuffleRandom);

        public int NextBatch(Span<double> features, Span<double> targets, Span<double> weights, int maxRows) =>
            inner.NextBatch(features, targets, weights, maxRows);
    }
}
