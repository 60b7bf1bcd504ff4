using MLNetJacobian.Network;
using MLNetJacobian.Training;
using static MLNetJacobian.Tests.Training.TrainingTestData;

namespace MLNetJacobian.Tests.Training.Sharding;

public sealed class ShardedTrainingAllocationTests
{
    [Fact]
    public void Train_ShardedStepTenTimesMoreBatches_AllocatesNoMore()
    {
        var validation = Blobs(64, 2);
        var options = new NetworkTrainerOptions
        {
            Epochs = 2,
            BatchSize = 32,
            LearningRate = 0.05,
            Threads = 2,
            Optimizer = new AdamOptions { Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8 },
        };
        var architecture = new NetworkArchitecture(FeatureCount, [6], ClassCount, Activation.Tanh);

        long Run(InMemoryTrainingData<double> train)
        {
            var network = FeedForwardNetwork<double>.Create(architecture, WeightInitializer.XavierUniform, new Random(1));
            var objective = new ShardedObjective<double>(2, 32,
                (gemm, rows) => new JacobianRegularizedObjective<double>(network, gemm, rows, new JacobianPenaltyOptions(0.1, SampleFraction: 0.5)));
            Assert.Equal(2, objective.ShardCountFor(32));
            var trainer = new NetworkTrainer<double>();
            trainer.Train(network, objective, train, validation, options, new Random(1), null);   // warm up
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Train(network, objective, train, validation, options, new Random(1), null);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long fewBatches = Run(Blobs(128, 1));
        long manyBatches = Run(Blobs(1280, 1));
        // 4 vs 40 batches per epoch: any allocation per batch would show as at least 72 objects of 24 bytes.
        Assert.True(manyBatches - fewBatches < 256, $"allocated {fewBatches} bytes for 8 batches, {manyBatches} for 80");
    }
}
