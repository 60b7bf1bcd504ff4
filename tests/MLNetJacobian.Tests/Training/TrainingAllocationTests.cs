using MLNetJacobian.Training;
using static MLNetJacobian.Tests.Training.TrainingTestData;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Training;

public class TrainingAllocationTests
{
    private static long AllocatedBy(Action action)
    {
        action();   // warm up: JIT, lazily created statics
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Train_TenTimesMoreBatches_AllocatesNoMore()
    {
        var small = Blobs(64, 1);
        var large = Blobs(640, 1);
        var validation = Blobs(64, 2);
        var options = JacobianRegularizedTrainer.EngineOptions(new() { NumberOfEpochs = 2, BatchSize = 16, LearningRate = 0.05 });

        long Run(InMemoryTrainingData<double> train) => AllocatedBy(() =>
        {
            double[] parameters = NewParameters();
            var objective = new SoftmaxRegressionObjective(parameters, FeatureCount, ClassCount, 16);
            new NetworkTrainer<double>().Train(parameters, objective, train, validation, objective, options, new Random(1), null);
        });

        long fewBatches = Run(small);
        long manyBatches = Run(large);
        // 4 vs 40 batches per epoch: any allocation per batch would show as at least 72 objects of 24 bytes.
        Assert.True(manyBatches - fewBatches < 256, $"allocated {fewBatches} bytes for 8 batches, {manyBatches} for 80");
    }

    [Fact]
    public void NextBatch_ShuffledEpochs_AllocateNothing()
    {
        var data = Blobs(100, 1);
        var features = new double[10 * FeatureCount];
        var labels = new double[10];
        var random = new Random(4);
        long bytes = AllocatedBy(() =>
        {
            for (int epoch = 0; epoch < 3; epoch++)
            {
                data.StartEpoch(random);
                while (data.NextBatch(features, labels, [], 10) > 0)
                {
                }
            }
        });
        Assert.Equal(0, bytes);
    }
}
