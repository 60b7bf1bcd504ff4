using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;
using Xunit.Abstractions;
using static MLNetJacobian.Tests.Trainers.OneOutputTestData;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>
/// mlContext.BinaryClassification.Trainers.JacobianRegularized: schema, fit, transform, evaluate (calibrated metrics),
/// cross-validation, permutation feature importance, save and load (here and in a fresh process), bad input.
/// </summary>
public sealed class JacobianRegularizedBinaryTrainerTests(ITestOutputHelper output)
{
    private static JacobianRegularizedBinaryTrainer.Options SmallOptions(int seed = 3, int epochs = 15) => new()
    {
        HiddenLayers = [16],
        Activation = Activation.Tanh,
        NumberOfEpochs = epochs,
        BatchSize = 32,
        LearningRate = 0.05,
        JacobianWeight = 0.01,
        Seed = seed,
    };

    private static (IDataView Train, IDataView Test) Split(MLContext context)
    {
        BinaryRow[] rows = BreastCancer();
        // Every third row is a test row: a fixed split of about 67% / 33%.
        return (View(context, rows.Where((_, i) => i % 3 != 0), 30), View(context, rows.Where((_, i) => i % 3 == 0), 30));
    }

    [Fact]
    public void Fit_BreastCancer_OutputColumnsAndCalibratedMetrics()
    {
        var context = new MLContext(seed: 1);
        (IDataView train, IDataView test) = Split(context);
        JacobianRegularizedBinaryTrainer trainer = context.BinaryClassification.Trainers.JacobianRegularized(SmallOptions());

        JacobianRegularizedOneOutputPredictionTransformer model = trainer.Fit(train);
        IDataView scored = model.Transform(test);

        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Probability"].Type);
        Assert.Equal(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        float[] score = scored.GetColumn<float>("Score").ToArray(), probability = scored.GetColumn<float>("Probability").ToArray();
        bool[] predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
        for (int i = 0; i < score.Length; i++)
        {
            Assert.True(Math.Abs(1 / (1 + Math.Exp(-score[i])) - probability[i]) < 1e-6, $"row {i}: sigmoid({score[i]}) != {probability[i]}");
            Assert.Equal(score[i] > 0, predicted[i]);
        }

        CalibratedBinaryClassificationMetrics metrics = context.BinaryClassification.Evaluate(scored);
        output.WriteLine($"AUC {metrics.AreaUnderRocCurve:F4}, accuracy {metrics.Accuracy:F4}, log-loss {metrics.LogLoss:F4}");
        // Logistic regression reaches AUC 0.99 on this data; a network that learned nothing scores 0.5.
        Assert.InRange(metrics.AreaUnderRocCurve, 0.97, 1.0);
        Assert.InRange(metrics.Accuracy, 0.9, 1.0);
        Assert.InRange(metrics.LogLoss, 0, 0.3);
        Assert.Equal(ModelTask.BinaryClassification, model.Model.Task);
        Assert.Equal(15, model.Model.TrainingHistory!.Epochs.Count);
        Assert.All(model.Model.TrainingHistory.Epochs, epoch => Assert.False(double.IsNaN(epoch.TrainingAccuracy)));
    }

    [Fact]
    public void GetOutputSchema_BooleanLabel_MatchesTransformedSchema()
    {
        var context = new MLContext(seed: 1);
        (IDataView train, _) = Split(context);
        JacobianRegularizedBinaryTrainer trainer = context.BinaryClassification.Trainers.JacobianRegularized(SmallOptions(epochs: 1));
        SchemaShape shape = trainer.GetOutputSchema(Shapes.Of(train.Schema));
        DataViewSchema schema = trainer.Fit(train).Transform(train).Schema;
        foreach (string name in new[] { "Score", "Probability", "PredictedLabel" })
        {
            SchemaShape.Column column = Assert.Single(shape, c => c.Name == name);
            Assert.Equal(schema[name].Type, column.ItemType);
            Assert.Equal(SchemaShape.Column.VectorKind.Scalar, column.Kind);
        }
    }

    [Fact]
    public void CrossValidateAndPermutationFeatureImportance_Work()
    {
        var context = new MLContext(seed: 1);
        (IDataView train, _) = Split(context);
        var folds = context.BinaryClassification.CrossValidate(train, context.BinaryClassification.Trainers.JacobianRegularized(SmallOptions()), numberOfFolds: 3);
        Assert.Equal(3, folds.Count);
        Assert.All(folds, fold => Assert.InRange(fold.Metrics.AreaUnderRocCurve, 0.9, 1.0));

        JacobianRegularizedOneOutputPredictionTransformer model = context.BinaryClassification.Trainers.JacobianRegularized(SmallOptions()).Fit(train);
        var importance = context.BinaryClassification.PermutationFeatureImportance(model, train, permutationCount: 1);
        Assert.Equal(30, importance.Length);
    }

    [Fact]
    public void SaveAndLoad_HereAndInAFreshProcess_SamePredictions()
    {
        var context = new MLContext(seed: 1);
        BinaryRow[] rows = BreastCancer()[..80];
        IDataView data = View(context, rows, 30);
        ITransformer model = context.BinaryClassification.Trainers.JacobianRegularized(SmallOptions(epochs: 3)).Fit(data);
        IDataView scored = model.Transform(data);
        float[] expectedScore = scored.GetColumn<float>("Score").ToArray(), expectedProbability = scored.GetColumn<float>("Probability").ToArray();
        bool[] expectedLabel = scored.GetColumn<bool>("PredictedLabel").ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"jr-binary-{Guid.NewGuid():N}.zip");
        try
        {
            context.Model.Save(model, data.Schema, path);
            ITransformer loaded = new MLContext(seed: 5).Model.Load(path, out _);
            IDataView reloaded = loaded.Transform(data);
            Assert.Equal(expectedScore, reloaded.GetColumn<float>("Score").ToArray());
            Assert.Equal(expectedLabel, reloaded.GetColumn<bool>("PredictedLabel").ToArray());

            (string Label, float[] Scores)[] actual = CrossProcessRunner.Score(path, rows.Select(row => (row.Label.ToString(), row.Features)).ToArray());
            Assert.Equal(expectedLabel.Select(label => label.ToString()), actual.Select(row => row.Label));
            double maxDifference = actual.Select((row, i) => Math.Max(Math.Abs(row.Scores[0] - expectedScore[i]), Math.Abs(row.Scores[1] - expectedProbability[i]))).Max();
            Assert.True(maxDifference < 1e-5, $"max |score here - score in the other process| = {maxDifference}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fit_SameSeed_SameModel()
    {
        var context = new MLContext(seed: 1);
        IDataView data = View(context, BreastCancer()[..100], 30);
        float[] first = context.BinaryClassification.Trainers.JacobianRegularized(SmallOptions(epochs: 2)).Fit(data).Model.Parameters.ToArray();
        float[] second = context.BinaryClassification.Trainers.JacobianRegularized(SmallOptions(epochs: 2)).Fit(data).Model.Parameters.ToArray();
        Assert.Equal(first, second);
    }

    [Fact]
    public void Fit_SingleLabel_ThrowsNamingColumnTypeAndFix()
    {
        var context = new MLContext(seed: 1);
        IDataView data = View(context, Smooth(20, 1), 5);
        var error = Assert.Throws<ArgumentException>(() => context.BinaryClassification.Trainers.JacobianRegularized(SmallOptions()).Fit(data));
        Assert.Equal("The label column 'Label' is Single; a binary classifier needs a Boolean label (true = positive class). " +
            "Load it as Boolean (a bool property, or DataKind.Boolean in the text loader), or map its values to true and false first, " +
            "e.g. with mlContext.Transforms.Conversion.MapValue(\"Label\", ...). (Parameter 'trainData')", error.Message);
        var shapeError = Assert.Throws<ArgumentException>(() =>
            context.BinaryClassification.Trainers.JacobianRegularized(SmallOptions()).GetOutputSchema(Shapes.Of(data.Schema)));
        Assert.StartsWith("The label column 'Label' is Single; a binary classifier needs a Boolean label", shapeError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_OneClassOnly_ThrowsNamingTheClass()
    {
        var context = new MLContext(seed: 1);
        IDataView data = View(context, BreastCancer().Where(row => !row.Label).Take(30), 30);
        var error = Assert.Throws<InvalidDataException>(() => context.BinaryClassification.Trainers.JacobianRegularized(SmallOptions()).Fit(data));
        Assert.Equal("Every one of the 30 rows of the training data has label False in column 'Label'; a binary classifier needs rows of both classes.",
            error.Message);
    }

    [Theory]
    [InlineData(3, false, "NumberOfProjections", "Options.NumberOfProjections is 3, but a binary classifier has one output")]
    [InlineData(1, true, "UseExactJacobianNorm", "Options.UseExactJacobianNorm is True, but a binary classifier has one output")]
    public void Options_ProjectionSettings_Refused(int projections, bool exact, string option, string message)
    {
        var context = new MLContext(seed: 1);
        var options = new JacobianRegularizedBinaryTrainer.Options { NumberOfProjections = projections, UseExactJacobianNorm = exact };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => context.BinaryClassification.Trainers.JacobianRegularized(options));
        Assert.Equal(option, error.ParamName);
        Assert.StartsWith(message + ": its Jacobian is one row and the penalty is always exact, so projection options do not apply. " +
            "Leave NumberOfProjections at 1 and UseExactJacobianNorm false.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NegativeWeight_ThrowsNamingRow()
    {
        var context = new MLContext(seed: 1);
        BinaryRow[] rows = BreastCancer()[..20];
        rows[7].Weight = -1;
        IDataView data = View(context, rows, 30);
        JacobianRegularizedBinaryTrainer.Options options = SmallOptions();
        options.ExampleWeightColumnName = "Weight";
        var error = Assert.Throws<InvalidDataException>(() => context.BinaryClassification.Trainers.JacobianRegularized(options).Fit(data));
        Assert.Equal("Row 7 of the training data has weight -1 in column 'Weight'; example weights must be finite and at least 0.", error.Message);
    }
}
