using Microsoft.ML;
using MLNetJacobian.Tests.Trainers;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Training.Sharding;

/// <summary>The ML.NET trainer with the batch-parallel step: the same seed and thread count give the same model.</summary>
public sealed class ShardedTrainingDeterminismTests
{
    [Fact]
    public void Fit_SameSeedAndThreads_SameParameters()
    {
        float[] first = Train(threads: 2, seed: 3);
        float[] second = Train(threads: 2, seed: 3);
        float[] otherSeed = Train(threads: 2, seed: 4);
        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void Fit_TwoThreads_TrainsAsWellAsOne()
    {
        // Different shards see different projections and summation orders, so the models differ in their bits but
        // not in what they learned.
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 600);
        double accuracyOne = Accuracy(context, data, 1), accuracyTwo = Accuracy(context, data, 2);
        Assert.True(accuracyOne > 0.85, $"one thread: {accuracyOne}");
        Assert.True(Math.Abs(accuracyOne - accuracyTwo) < 0.05, $"one thread {accuracyOne}, two {accuracyTwo}");
    }

    private static float[] Train(int threads, int seed)
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 400);
        ITransformer model = Pipeline(context, threads, seed).Fit(data);
        return ((IEnumerable<ITransformer>)model).OfType<JacobianRegularizedPredictionTransformer>().Single().Model.Parameters.ToArray();
    }

    private static double Accuracy(MLContext context, IDataView data, int threads)
    {
        ITransformer model = Pipeline(context, threads, 5).Fit(data);
        return context.MulticlassClassification.Evaluate(model.Transform(data)).MacroAccuracy;
    }

    private static IEstimator<ITransformer> Pipeline(MLContext context, int threads, int seed) =>
        context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.Transforms.NormalizeMinMax("Features"))
            .Append(context.MulticlassClassification.Trainers.JacobianRegularized(new JacobianRegularizedTrainer.Options
            {
                HiddenLayers = [16],
                NumberOfEpochs = 4,
                BatchSize = 64,
                LearningRate = 0.1f,
                JacobianWeight = 0.01,
                JacobianSampleFraction = 0.5,
                Seed = seed,
                NumberOfThreads = threads,
            }));
}
