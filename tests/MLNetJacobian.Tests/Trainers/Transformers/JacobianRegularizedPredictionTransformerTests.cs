using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Tests.Onnx;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

public class JacobianRegularizedPredictionTransformerTests
{
    private static readonly string[] DigitNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    private static JacobianRegularizedModelParameters RandomDigitsModel(Activation activation = Activation.Relu)
    {
        var architecture = new NetworkArchitecture(64, [16, 12], 10, activation);
        return new JacobianRegularizedModelParameters(architecture, ReferenceClassifier.RandomParameters(architecture, seed: 3), DigitNames);
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Gelu)]
    public void Transform_Digits_ScoresAndPredictionsMatchReferenceForwardPass(Activation activation)
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 200);
        JacobianRegularizedModelParameters model = RandomDigitsModel(activation);
        var transformer = new JacobianRegularizedPredictionTransformer(context, model);

        IDataView scored = transformer.Transform(data);

        float[] features = TestData.Features(data);
        double[] logits = ReferenceClassifier.Logits(model.Architecture, model.Parameters, features, 200);
        double[] expected = ReferenceClassifier.Softmax(logits, 10);
        float[][] scores = scored.GetColumn<float[]>("Score").ToArray();
        uint[] predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();
        for (int r = 0; r < 200; r++)
        {
            // Float network of width 16 against a double reference: differences ~1e-7.
            for (int c = 0; c < 10; c++) Assert.Equal(expected[r * 10 + c], scores[r][c], 1e-5);
            Assert.Equal((uint)ReferenceClassifier.ArgMax(logits, 10, r) + 1, predicted[r]);
        }
    }

    [Fact]
    public void GetOutputSchema_Digits_ScoreHasSlotNamesAndPredictedLabelHasKeyValues()
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 10);
        string[] classNames = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
        var architecture = new NetworkArchitecture(64, [8], 10, Activation.Tanh);
        var model = new JacobianRegularizedModelParameters(architecture, ReferenceClassifier.RandomParameters(architecture, 2), classNames);

        DataViewSchema schema = new JacobianRegularizedPredictionTransformer(context, model).GetOutputSchema(data.Schema);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 10), schema["Score"].Type);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        schema["Score"].GetSlotNames(ref slotNames);
        Assert.Equal(classNames, slotNames.DenseValues().Select(name => name.ToString()));
        Assert.Equal(new KeyDataViewType(typeof(uint), 10), schema["PredictedLabel"].Type);
        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        schema["PredictedLabel"].GetKeyValues(ref keyValues);
        Assert.Equal(classNames, keyValues.DenseValues().Select(name => name.ToString()));
        Assert.DoesNotContain(schema, column => column.Name.StartsWith("MLNetJacobian.", StringComparison.Ordinal));
        Assert.Equal(["Features", "Label", "Score", "PredictedLabel"], schema.Where(c => !c.IsHidden).Select(c => c.Name));
    }

    [Fact]
    public void Save_LoadInNewContext_SameScoresAndSchema()
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 300);
        ITransformer pipeline = new TransformerChain<ITransformer>(
            context.Transforms.Conversion.MapValueToKey("Label").Fit(data),
            new JacobianRegularizedPredictionTransformer(context, RandomDigitsModel()));
        float[][] before = pipeline.Transform(data).GetColumn<float[]>("Score").ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"jr-{Guid.NewGuid():N}.zip");
        try
        {
            context.Model.Save(pipeline, data.Schema, path);
            var fresh = new MLContext(seed: 99);
            ITransformer loaded = fresh.Model.Load(path, out DataViewSchema inputSchema);
            IDataView scored = loaded.Transform(TestData.Digits(fresh, take: 300));

            Assert.Equal(data.Schema.Select(c => (c.Name, c.Type)), inputSchema.Select(c => (c.Name, c.Type)));
            float[][] after = scored.GetColumn<float[]>("Score").ToArray();
            double maxDifference = before.Zip(after).Max(pair => pair.First.Zip(pair.Second).Max(v => Math.Abs(v.First - v.Second)));
            Assert.True(maxDifference < 1e-5, $"max |score before - score after| = {maxDifference}");
            VBuffer<ReadOnlyMemory<char>> slotNames = default;
            scored.Schema["Score"].GetSlotNames(ref slotNames);
            Assert.Equal(DigitNames, slotNames.DenseValues().Select(name => name.ToString()));
            Assert.IsType<KeyDataViewType>(scored.Schema["PredictedLabel"].Type);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Evaluate_TransformedDigits_MetricsFromScores()
    {
        var context = new MLContext(seed: 1);
        IDataView data = context.Transforms.Conversion.MapValueToKey("Label").Fit(TestData.Digits(context)).Transform(TestData.Digits(context));
        var transformer = new JacobianRegularizedPredictionTransformer(context, RandomDigitsModel());
        IDataView scored = transformer.Transform(data);

        MulticlassClassificationMetrics metrics = context.MulticlassClassification.Evaluate(scored);

        uint[] labels = scored.GetColumn<uint>("Label").ToArray();
        uint[] predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();
        double accuracy = labels.Zip(predicted).Count(pair => pair.First == pair.Second) / (double)labels.Length;
        Assert.Equal(accuracy, metrics.MicroAccuracy, 1e-12);
        Assert.Equal(10, metrics.ConfusionMatrix.NumberOfClasses);
    }

    [Fact]
    public void CreatePredictionEngine_OneRow_ScoreAndLabelNameMatchTransform()
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 5);
        var transformer = new JacobianRegularizedPredictionTransformer(context, RandomDigitsModel());
        ITransformer pipeline = transformer.Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(transformer.Transform(data)));
        var engine = context.Model.CreatePredictionEngine<LabeledRow, DigitPrediction>(pipeline, inputSchemaDefinition: TestData.Definition(64));
        LabeledRow row = context.Data.CreateEnumerable<LabeledRow>(data, reuseRowObject: false).First();

        DigitPrediction prediction = engine.Predict(row);

        float[] expected = transformer.Transform(data).GetColumn<float[]>("Score").First();
        Assert.Equal(expected, prediction.Score);
        Assert.Equal(DigitNames[Array.IndexOf(expected, expected.Max())], prediction.PredictedLabel);
    }

    [Fact]
    public void Transform_FeatureVectorOfWrongLength_ThrowsNamingBothSizes()
    {
        var context = new MLContext(seed: 1);
        var rows = new[] { new LabeledRow { Features = new float[10], Label = "1" } };
        IDataView data = context.Data.LoadFromEnumerable(rows, TestData.Definition(10));
        var transformer = new JacobianRegularizedPredictionTransformer(context, RandomDigitsModel());

        var error = Assert.Throws<ArgumentException>(() => transformer.Transform(data));

        Assert.Equal(
            "The feature column 'Features' has 10 features (type Vector<Single, 10>), but the model was trained on 64: expected Vector<Single, 64>. (Parameter 'input')",
            error.Message);
    }

    [Fact]
    public void GetOutputSchema_FeatureColumnMissing_ThrowsListingColumns()
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 1);
        var transformer = new JacobianRegularizedPredictionTransformer(context, RandomDigitsModel(), featureColumnName: "Pixels");

        var error = Assert.Throws<ArgumentException>(() => transformer.GetOutputSchema(data.Schema));

        Assert.Equal("The feature column 'Pixels' is not in the data. Columns present: 'Features', 'Label'. (Parameter 'inputSchema')", error.Message);
    }

    [Fact]
    public void PermutationFeatureImportance_GenericOverload_OneResultPerFeature()
    {
        var context = new MLContext(seed: 1);
        IDataView raw = TestData.Digits(context, take: 100);
        IDataView data = context.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        var transformer = new JacobianRegularizedPredictionTransformer(context, RandomDigitsModel());

        var importance = context.MulticlassClassification.PermutationFeatureImportance(transformer, data, permutationCount: 1);

        Assert.Equal(64, importance.Length);
    }

    /// <summary>The prediction engine's output row.</summary>
    public sealed class DigitPrediction
    {
        /// <summary>Class probabilities.</summary>
        public float[] Score { get; set; } = [];

        /// <summary>The predicted class name.</summary>
        public string PredictedLabel { get; set; } = string.Empty;
    }
}
