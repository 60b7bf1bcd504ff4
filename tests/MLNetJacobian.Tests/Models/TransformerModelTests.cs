using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Analysis;
using MLNetJacobian.Models;
using MLNetJacobian.Tests.Analysis;

namespace MLNetJacobian.Tests.Models;

public class TransformerModelTests
{
    [Fact]
    public void Classify_MaximumEntropy_MatchesTransformOfTheDataViewAcrossBatches()
    {
        DigitsModels models = DigitsModels.Instance;
        var classifier = new TransformerModel(models.MaximumEntropy, 64);
        int rows = 120;
        var scores = new float[rows * 10];
        var classes = new int[rows];

        ModelPredictions.PredictClasses(classifier, models.Test.Features.AsSpan(0, rows * 64), rows, scores, classes);

        IDataView expected = models.MaximumEntropy.Transform(models.TestView);
        float[][] expectedScores = expected.GetColumn<float[]>("Score").Take(rows).ToArray();
        uint[] expectedKeys = expected.GetColumn<uint>("PredictedLabel").Take(rows).ToArray();
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal((int)expectedKeys[r] - 1, classes[r]);
            for (int k = 0; k < 10; k++) Assert.Equal(expectedScores[r][k], scores[r * 10 + k]);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), classifier.ClassNames);
    }

    [Fact]
    public void Constructor_ModelNeedingAnotherColumn_ThrowsNamingModel()
    {
        DigitsModels models = DigitsModels.Instance;
        var error = Assert.Throws<ArgumentException>(() => new TransformerModel(models.MaximumEntropy, 64, featureColumnName: "Pixels"));
        Assert.Equal("model", error.ParamName);
        Assert.Contains("Pixels", error.Message);
    }

    [Fact]
    public void Constructor_WrongFeatureCount_Throws()
    {
        DigitsModels models = DigitsModels.Instance;
        Assert.Throws<ArgumentException>(() => new TransformerModel(models.MaximumEntropy, 63));
    }

    [Fact]
    public void Constructor_MissingScoreColumn_ThrowsNamingScoreColumn()
    {
        DigitsModels models = DigitsModels.Instance;
        var error = Assert.Throws<ArgumentException>(() => new TransformerModel(models.MaximumEntropy, 64, scoreColumnName: "Margin"));
        Assert.Equal("scoreColumnName", error.ParamName);
    }

    [Fact]
    public void Classify_WrongFeatureLength_ThrowsNamingFeatures()
    {
        var classifier = new TransformerModel(DigitsModels.Instance.MaximumEntropy, 64);
        var error = Assert.Throws<ArgumentException>(() => ModelPredictions.PredictClasses(classifier, new float[100], 2, new float[20], new int[2]));
        Assert.Equal("features", error.ParamName);
    }

    [Fact]
    public void Classify_BinaryModel_ClassesFromPredictedLabel()
    {
        var context = new MLContext(seed: 2);
        var random = new Random(3);
        var rows = Enumerable.Range(0, 200).Select(_ =>
        {
            float a = (float)random.NextDouble(), b = (float)random.NextDouble();
            return new BinaryRow { Features = [a, b], Label = a + b > 1 };
        }).ToArray();
        SchemaDefinition schema = SchemaDefinition.Create(typeof(BinaryRow));
        schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
        IDataView data = context.Data.LoadFromEnumerable(rows, schema);
        ITransformer model = context.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(data);
        var classifier = new TransformerModel(model, 2);

        var scores = new float[2];
        var classes = new int[2];
        ModelPredictions.PredictClasses(classifier, [0.9f, 0.9f, 0.1f, 0.1f], 2, scores, classes);

        Assert.Equal(1, classifier.OutputCount);
        Assert.Equal(["False", "True"], classifier.ClassNames);
        Assert.Equal([1, 0], classes);
        Assert.True(scores[0] > 0 && scores[1] < 0);
    }

    private sealed class BinaryRow
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }
}
