using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>
/// PredictionEnginePool-style serving: a web app keeps an <see cref="ObjectPool{T}"/> of prediction engines over one
/// loaded model and takes one per request, many requests at a time (what Microsoft.Extensions.ML's PredictionEnginePool
/// does). The engines share the model (its ONNX Runtime session) and must give the single-engine predictions.
/// </summary>
public class PooledPredictionEngineTests
{
    [Fact]
    public void Predict_PooledEnginesOnFourThreads_SameAsOneEngineInOrder()
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 240);
        var model = context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.MulticlassClassification.Trainers.JacobianRegularized(new JacobianRegularizedTrainer.Options
            {
                HiddenLayers = [16],
                NumberOfEpochs = 3,
                LearningRate = 0.1,
                Seed = 7,
            }))
            .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        using var stream = new MemoryStream();
        context.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var serving = new MLContext(seed: 2);
        ITransformer loaded = serving.Model.Load(stream, out _);
        LabeledRow[] rows = context.Data.CreateEnumerable<LabeledRow>(data, reuseRowObject: false).ToArray();

        var single = serving.Model.CreatePredictionEngine<LabeledRow, JacobianRegularizedPredictionTransformerTests.DigitPrediction>(
            loaded, inputSchemaDefinition: TestData.Definition(64));
        var expected = rows.Select(row => single.Predict(row)).ToArray();

        var actual = PredictOnFourThreads(new DefaultObjectPoolProvider { MaximumRetained = 4 }.Create(new EnginePolicy(serving, loaded)), rows);

        for (int index = 0; index < rows.Length; index++)
        {
            Assert.Equal(expected[index].PredictedLabel, actual[index].PredictedLabel);
            Assert.Equal(expected[index].Score, actual[index].Score);
        }

        // Not a degenerate model: it separates the digits it was trained on.
        Assert.True(expected.Select(prediction => prediction.PredictedLabel).Distinct().Count() >= 5);
    }

    /// <summary>Predicts every row on four threads, each taking an engine from the pool and returning it.</summary>
    internal static JacobianRegularizedPredictionTransformerTests.DigitPrediction[] PredictOnFourThreads(
        ObjectPool<PredictionEngine<LabeledRow, JacobianRegularizedPredictionTransformerTests.DigitPrediction>> pool, LabeledRow[] rows)
    {
        var actual = new JacobianRegularizedPredictionTransformerTests.DigitPrediction[rows.Length];
        Parallel.For(0, rows.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, index =>
        {
            var engine = pool.Get();
            try
            {
                actual[index] = engine.Predict(rows[index]);
            }
            finally
            {
                pool.Return(engine);
            }
        });
        return actual;
    }

    /// <summary>Creates an engine per pooled slot, as PredictionEnginePool's policy does.</summary>
    internal sealed class EnginePolicy(MLContext context, ITransformer model)
        : PooledObjectPolicy<PredictionEngine<LabeledRow, JacobianRegularizedPredictionTransformerTests.DigitPrediction>>
    {
        public override PredictionEngine<LabeledRow, JacobianRegularizedPredictionTransformerTests.DigitPrediction> Create() =>
            context.Model.CreatePredictionEngine<LabeledRow, JacobianRegularizedPredictionTransformerTests.DigitPrediction>(
                model, inputSchemaDefinition: TestData.Definition(64));

        public override bool Return(PredictionEngine<LabeledRow, JacobianRegularizedPredictionTransformerTests.DigitPrediction> obj) => true;
    }
}
