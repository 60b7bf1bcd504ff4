using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Trainers;
using MLNetJacobian.Training;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>Bad input to the trainer: each error's exact message.</summary>
public class JacobianRegularizedTrainerInputTests
{
    private static JacobianRegularizedTrainer SmallTrainer(MLContext context, Action<JacobianRegularizedTrainer.Options>? change = null)
    {
        var options = new JacobianRegularizedTrainer.Options { HiddenLayers = [4], NumberOfEpochs = 1, BatchSize = 4, Seed = 5 };
        change?.Invoke(options);
        return new JacobianRegularizedTrainer(context, options);
    }

    /// <summary>Rows with 3 features; labels cycle through <paramref name="classes"/>; optionally a non-finite value at [row, feature].</summary>
    private static IDataView Rows(MLContext context, int count, string[] classes, (int Row, int Feature, float Value)? bad = null, int featureCount = 3)
    {
        var rows = new LabeledRow[count];
        for (int i = 0; i < count; i++)
        {
            float[] features = Enumerable.Range(0, featureCount).Select(j => (float)((i * 7 + j * 3) % 5) / 5).ToArray();
            if (bad is { } b && b.Row == i) features[b.Feature] = b.Value;
            rows[i] = new LabeledRow { Features = features, Label = classes[i % classes.Length] };
        }

        return context.Data.LoadFromEnumerable(rows, TestData.Definition(featureCount));
    }

    private static IDataView Keyed(MLContext context, IDataView data) =>
        context.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);

    [Fact]
    public void Fit_LabelNotKey_ThrowsSuggestingMapValueToKey()
    {
        var context = new MLContext(1);

        var error = Assert.Throws<ArgumentException>(() => SmallTrainer(context).Fit(Rows(context, 8, ["a", "b"])));

        Assert.Equal("The label column 'Label' is String; it must be a key type. Put mlContext.Transforms.Conversion.MapValueToKey(\"Label\") before the trainer. (Parameter 'trainData')", error.Message);
    }

    [Fact]
    public void GetOutputSchema_LabelNotKey_ThrowsSuggestingMapValueToKey()
    {
        var context = new MLContext(1);

        var error = Assert.Throws<ArgumentException>(() => SmallTrainer(context).GetOutputSchema(Shapes.Of(Rows(context, 8, ["a", "b"]).Schema)));

        Assert.Equal("The label column 'Label' is String; it must be a key type. Put mlContext.Transforms.Conversion.MapValueToKey(\"Label\") before the trainer. (Parameter 'inputSchema')", error.Message);
    }

    [Fact]
    public void Fit_OneClass_ThrowsNeedingTwo()
    {
        var context = new MLContext(1);

        var error = Assert.Throws<ArgumentException>(() => SmallTrainer(context).Fit(Keyed(context, Rows(context, 8, ["only"]))));

        Assert.Equal("The label column 'Label' is a key with 1 classes; a classifier needs at least 2 (and at most 2147483647). (Parameter 'trainData')", error.Message);
    }

    [Fact]
    public void Fit_VariableLengthFeatures_ThrowsAskingForKnownSize()
    {
        var context = new MLContext(1);
        IDataView data = context.Data.LoadFromEnumerable(new[] { new LabeledRow { Features = [1, 2], Label = "a" }, new LabeledRow { Features = [3], Label = "b" } });

        var error = Assert.Throws<ArgumentException>(() => SmallTrainer(context).Fit(Keyed(context, data)));

        Assert.Equal("The feature column 'Features' is Vector<Single>; it must be a vector of Single of known size (e.g. Vector<Single, 784>). " +
            "Concatenate or convert the feature columns into one float vector first. (Parameter 'trainData')", error.Message);
    }

    [Fact]
    public void GetOutputSchema_VariableLengthFeatures_ThrowsAskingForKnownSize()
    {
        var context = new MLContext(1);
        IDataView data = context.Data.LoadFromEnumerable(new[] { new LabeledRow { Features = [1, 2], Label = "a" } });

        var error = Assert.Throws<ArgumentException>(() => SmallTrainer(context).GetOutputSchema(Shapes.Of(Keyed(context, data).Schema)));

        Assert.Equal("The feature column 'Features' is VarVector<Single>; it must be a vector of Single of known size (e.g. Vector<Single, 784>). " +
            "Concatenate or convert the feature columns into one float vector first. (Parameter 'inputSchema')", error.Message);
    }

    [Fact]
    public void Fit_MissingFeatureColumn_ThrowsListingColumns()
    {
        var context = new MLContext(1);

        var error = Assert.Throws<ArgumentException>(() =>
            SmallTrainer(context, o => o.FeatureColumnName = "Pixels").Fit(Keyed(context, Rows(context, 8, ["a", "b"]))));

        Assert.Equal("The feature column 'Pixels' is not in the data. Columns present: 'Features', 'Label'. (Parameter 'trainData')", error.Message);
    }

    [Fact]
    public void Pipeline_MissingLabelColumn_ThrowsBeforeReadingData()
    {
        var context = new MLContext(1);
        var pipeline = context.Transforms.Conversion.MapValueToKey("Label").Append(SmallTrainer(context, o => o.LabelColumnName = "Class"));

        var error = Assert.Throws<ArgumentException>(() => pipeline.Fit(Rows(context, 8, ["a", "b"])));

        Assert.Equal("The label column 'Class' is not in the data. Columns present: 'Features', 'Label'. (Parameter 'inputSchema')", error.Message);
    }

    [Fact]
    public void Fit_NaNFeature_ThrowsNamingRowFeatureAndOption()
    {
        var context = new MLContext(1);
        IDataView data = Keyed(context, Rows(context, 8, ["a", "b"], (Row: 5, Feature: 2, Value: float.NaN)));

        var error = Assert.Throws<InvalidDataException>(() => SmallTrainer(context).Fit(data));

        Assert.Equal("Row 5 of the training data has NaN in feature 2 of column 'Features'. " +
            "Fix or filter such rows, or set Options.SkipRowsWithNonFiniteFeatures = true to skip them.", error.Message);
    }

    [Fact]
    public void Fit_InfiniteFeatureWithSkipOption_TrainsOnTheOtherRows()
    {
        var context = new MLContext(1);
        IDataView data = Keyed(context, Rows(context, 8, ["a", "b"], (Row: 2, Feature: 0, Value: float.PositiveInfinity)));
        var messages = new List<string>();
        context.Log += (_, e) => messages.Add(e.RawMessage);

        JacobianRegularizedPredictionTransformer model = SmallTrainer(context, o => o.SkipRowsWithNonFiniteFeatures = true).Fit(data);

        Assert.Contains(messages, m => m.StartsWith("Training 3-4-2 Relu on 7 rows (0 rows with a missing label and 1 with non-finite features skipped)", StringComparison.Ordinal));
        Assert.Single(model.Model.TrainingHistory!.Epochs);
    }

    [Fact]
    public void Fit_EmptyDataView_Throws()
    {
        var context = new MLContext(1);
        ITransformer toKey = context.Transforms.Conversion.MapValueToKey("Label").Fit(Rows(context, 8, ["a", "b"]));
        IDataView empty = toKey.Transform(context.Data.LoadFromEnumerable(Array.Empty<LabeledRow>(), TestData.Definition(3)));

        var error = Assert.Throws<InvalidDataException>(() => SmallTrainer(context).Fit(empty));

        Assert.Equal("The training data has no rows.", error.Message);
    }

    [Fact]
    public void Fit_ValidationFeaturesOfOtherSize_ThrowsNamingBothTypes()
    {
        var context = new MLContext(1);
        IDataView train = Keyed(context, Rows(context, 8, ["a", "b"]));
        IDataView validation = Keyed(context, Rows(context, 8, ["a", "b"], featureCount: 4));

        var error = Assert.Throws<ArgumentException>(() => SmallTrainer(context).Fit(train, validation));

        Assert.Equal("The validation data's feature column 'Features' is Vector<Single, 4>, but the training data's is Vector<Single, 3>; " +
            "both must have the same schema. (Parameter 'validationData')", error.Message);
    }

    [Fact]
    public void Fit_ValidationWithOtherClassOrder_ThrowsNamingBothClassLists()
    {
        var context = new MLContext(1);
        IDataView train = Keyed(context, Rows(context, 8, ["a", "b"]));
        IDataView validation = Keyed(context, Rows(context, 8, ["b", "a"]));

        var error = Assert.Throws<ArgumentException>(() => SmallTrainer(context).Fit(train, validation));

        Assert.Equal("The validation data's label column 'Label' has the classes [b, a], but the training data's has [a, b]; " +
            "map both with the same fitted MapValueToKey transformer. (Parameter 'validationData')", error.Message);
    }

    [Fact]
    public void Fit_EarlyStoppingWithoutValidation_ThrowsNamingFitOverload()
    {
        var context = new MLContext(1);

        var error = Assert.Throws<ArgumentException>(() =>
            SmallTrainer(context, o => o.EarlyStoppingPatience = 2).Fit(Keyed(context, Rows(context, 8, ["a", "b"]))));

        Assert.Equal("Options.EarlyStoppingPatience is 2, but no validation data was given; call Fit(trainData, validationData). (Parameter 'validationData')", error.Message);
    }

    [Fact]
    public void Fit_HugeLearningRate_ThrowsNamingEpochAndSuggestingSmallerRates()
    {
        var context = new MLContext(1);
        IDataView data = Keyed(context, Rows(context, 64, ["a", "b", "c"]));

        var error = Assert.Throws<TrainingDivergedException>(() =>
            SmallTrainer(context, o => { o.LearningRate = 1e30; o.NumberOfEpochs = 3; }).Fit(data));

        Assert.Equal(1, error.Epoch);
        Assert.Equal($"Training diverged in epoch 1, batch {error.Batch}: {error.Message.Split(": ")[1].Split(". ")[0]}. " +
            "The network was restored to the initial parameters. Try a smaller learning rate or a smaller Jacobian weight (lambda).", error.Message);
    }
}
