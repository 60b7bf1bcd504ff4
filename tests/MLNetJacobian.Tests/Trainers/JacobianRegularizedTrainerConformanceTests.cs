using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>The checks ML.NET applies to its own trainers: schema propagation, fit, transform, save, reload.</summary>
public class JacobianRegularizedTrainerConformanceTests
{
    private static JacobianRegularizedTrainer.Options Small(int? seed = 7) => new()
    {
        HiddenLayers = [16],
        NumberOfEpochs = 3,
        LearningRate = 0.1,
        Seed = seed,
    };

    [Fact]
    public void Pipeline_SchemaFitTransformSaveLoad_ConsistentEverywhere()
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 400);
        var pipeline = context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.MulticlassClassification.Trainers.JacobianRegularized(Small()));

        SchemaShape propagated = pipeline.GetOutputSchema(Shapes.Of(data.Schema));
        var model = pipeline.Fit(data);
        IDataView scored = model.Transform(data);
        SchemaShape fitted = Shapes.Of(scored.Schema);

        // Same columns, kinds and types; every annotation the estimator promises is present after fitting
        // (the fitted Score also carries SlotNames, which ML.NET's ONNX estimator does not declare).
        Assert.Equal(propagated.Select(c => (c.Name, c.Kind, c.ItemType, c.IsKey)), fitted.Select(c => (c.Name, c.Kind, c.ItemType, c.IsKey)));
        foreach (SchemaShape.Column column in propagated)
        {
            SchemaShape.Column actual = fitted.Single(f => f.Name == column.Name);
            foreach (SchemaShape.Column annotation in column.Annotations)
            {
                Assert.Contains((annotation.Name, annotation.Kind, annotation.ItemType), actual.Annotations.Select(a => (a.Name, a.Kind, a.ItemType)));
            }
        }

        Assert.Equal(["KeyValues"], propagated.Single(c => c.Name == "PredictedLabel").Annotations.Select(a => a.Name));
        Assert.Contains("SlotNames", fitted.Single(c => c.Name == "Score").Annotations.Select(a => a.Name));

        string path = Path.Combine(Path.GetTempPath(), $"jr-conformance-{Guid.NewGuid():N}.zip");
        try
        {
            context.Model.Save(model, data.Schema, path);
            var fresh = new MLContext(seed: 42);
            ITransformer loaded = fresh.Model.Load(path, out _);
            IDataView reloaded = loaded.Transform(TestData.Digits(fresh, take: 400));

            Assert.Equal(scored.Schema.Select(c => (c.Name, c.Type)), reloaded.Schema.Select(c => (c.Name, c.Type)));
            float[][] before = scored.GetColumn<float[]>("Score").ToArray(), after = reloaded.GetColumn<float[]>("Score").ToArray();
            double maxDifference = before.Zip(after).Max(pair => pair.First.Zip(pair.Second).Max(v => Math.Abs(v.First - v.Second)));
            Assert.True(maxDifference < 1e-5, $"max |score before - score after| = {maxDifference}");
            Assert.Equal(scored.GetColumn<uint>("PredictedLabel"), reloaded.GetColumn<uint>("PredictedLabel"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fit_SameSeed_SameModel_OtherSeed_OtherModel()
    {
        var context = new MLContext(seed: 1);
        IDataView data = context.Transforms.Conversion.MapValueToKey("Label").Fit(TestData.Digits(context, 300)).Transform(TestData.Digits(context, 300));

        float[] first = new JacobianRegularizedTrainer(context, Small(seed: 11)).Fit(data).Model.Parameters.ToArray();
        float[] second = new JacobianRegularizedTrainer(context, Small(seed: 11)).Fit(data).Model.Parameters.ToArray();
        float[] other = new JacobianRegularizedTrainer(context, Small(seed: 12)).Fit(data).Model.Parameters.ToArray();

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Fit_SeedFromMLContext_SameContextSeedSameModel()
    {
        IDataView Data(MLContext c) => c.Transforms.Conversion.MapValueToKey("Label").Fit(TestData.Digits(c, 200)).Transform(TestData.Digits(c, 200));
        var first = new MLContext(seed: 3);
        var second = new MLContext(seed: 3);

        float[] a = first.MulticlassClassification.Trainers.JacobianRegularized(Small(seed: null)).Fit(Data(first)).Model.Parameters.ToArray();
        float[] b = second.MulticlassClassification.Trainers.JacobianRegularized(Small(seed: null)).Fit(Data(second)).Model.Parameters.ToArray();

        Assert.Equal(a, b);
    }

    [Fact]
    public void Fit_WithValidation_HistoryHasValidationAccuracyPerEpoch()
    {
        var context = new MLContext(seed: 1);
        var (train, validation) = DigitsDataset.Load(scaleToUnitInterval: true).Split(0.8, seed: 1);
        ITransformer toKey = context.Transforms.Conversion.MapValueToKey("Label").Fit(TestData.View(context, train));

        var model = new JacobianRegularizedTrainer(context, Small()).Fit(
            toKey.Transform(TestData.View(context, train)), toKey.Transform(TestData.View(context, validation)));

        Assert.Equal(3, model.Model.TrainingHistory!.Epochs.Count);
        Assert.All(model.Model.TrainingHistory.Epochs, epoch => Assert.NotNull(epoch.ValidationAccuracy));
        // Measured ~0.9 after three epochs; a model that did not learn scores ~0.1.
        Assert.InRange(model.Model.TrainingHistory.Epochs[^1].ValidationAccuracy!.Value, 0.6, 1.0);
        Assert.Equal(new[] { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" }, model.Model.ClassNames.Order());
    }

    [Fact]
    public void CrossValidate_ThreeFolds_MetricsPerFold()
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 300);
        JacobianRegularizedTrainer.Options options = Small();
        options.BatchSize = 16;
        var pipeline = context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.MulticlassClassification.Trainers.JacobianRegularized(options));

        var folds = context.MulticlassClassification.CrossValidate(data, pipeline, numberOfFolds: 3);

        Assert.Equal(3, folds.Count);
        // Three epochs of 13 batches on 200 rows: well above the 0.1 of chance, well below what longer training reaches.
        Assert.All(folds, fold => Assert.InRange(fold.Metrics.MicroAccuracy, 0.3, 1.0));
        Assert.Equal(300, folds.Sum(fold => fold.ScoredHoldOutSet.GetColumn<float[]>("Score").Count()));
    }

    [Fact]
    public void CreatePredictionEngine_AfterReload_SameAsBeforeSave()
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 200);
        var model = context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.MulticlassClassification.Trainers.JacobianRegularized(Small()))
            .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        LabeledRow row = context.Data.CreateEnumerable<LabeledRow>(data, reuseRowObject: false).Skip(17).First();
        var before = context.Model.CreatePredictionEngine<LabeledRow, JacobianRegularizedPredictionTransformerTests.DigitPrediction>(
            model, inputSchemaDefinition: TestData.Definition(64)).Predict(row);
        using var stream = new MemoryStream();
        context.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var fresh = new MLContext(seed: 2);
        ITransformer loaded = fresh.Model.Load(stream, out _);

        var after = fresh.Model.CreatePredictionEngine<LabeledRow, JacobianRegularizedPredictionTransformerTests.DigitPrediction>(
            loaded, inputSchemaDefinition: TestData.Definition(64)).Predict(row);

        Assert.Equal(before.PredictedLabel, after.PredictedLabel);
        Assert.Equal(before.Score, after.Score);
    }
}
