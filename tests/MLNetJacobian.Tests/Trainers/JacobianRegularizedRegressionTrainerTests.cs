using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;
using MLNetJacobian.Training;
using Xunit.Abstractions;
using static MLNetJacobian.Tests.Trainers.OneOutputTestData;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>
/// mlContext.Regression.Trainers.JacobianRegularized: schema, fit, evaluate, cross-validation, PFI, label
/// standardization, Huber, validation and early stopping, save and load (here and in a fresh process), bad input.
/// </summary>
public sealed class JacobianRegularizedRegressionTrainerTests(ITestOutputHelper output)
{
    private static JacobianRegularizedRegressionTrainer.Options SmallOptions(int epochs = 30, int seed = 3) => new()
    {
        HiddenLayers = [32],
        Activation = Activation.Tanh,
        NumberOfEpochs = epochs,
        BatchSize = 32,
        Optimizer = OptimizerAlgorithm.Adam,
        LearningRate = 0.01,
        WeightDecay = 0,
        JacobianWeight = 0.01,
        Seed = seed,
    };

    [Fact]
    public void Fit_SmoothFunction_ScoreColumnAndErrorNearTheNoise()
    {
        var context = new MLContext(seed: 1);
        IDataView train = View(context, Smooth(800, 1), 5), test = View(context, Smooth(400, 2), 5);

        JacobianRegularizedOneOutputPredictionTransformer model = context.Regression.Trainers.JacobianRegularized(SmallOptions()).Fit(train);
        IDataView scored = model.Transform(test);

        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.Null(scored.Schema.GetColumnOrNull("PredictedLabel"));
        RegressionMetrics metrics = context.Regression.Evaluate(scored);
        output.WriteLine($"RMSE {metrics.RootMeanSquaredError:F3}, MAE {metrics.MeanAbsoluteError:F3}, R^2 {metrics.RSquared:F4}");
        // The labels' standard deviation is about 20 * 2.3 = 46 and the noise's 2: a model that learned nothing has
        // RMSE ~46 and R^2 ~0; the function is smooth and low-dimensional, so a small network gets well within 4x the noise.
        Assert.InRange(metrics.RootMeanSquaredError, 0, 8);
        Assert.InRange(metrics.RSquared, 0.97, 1);
        Assert.Equal(ModelTask.Regression, model.Model.Task);
        Assert.All(model.Model.TrainingHistory!.Epochs, epoch => Assert.True(double.IsNaN(epoch.TrainingAccuracy)));
    }

    [Fact]
    public void Fit_StandardizedLabel_SameNetworkOnAnyLabelScale()
    {
        // The standardized targets (y - mean) / std are the same for y and 1000 y + 7, so the same seed trains the
        // same network (up to float rounding of the targets) and the predictions follow the label's units.
        var context = new MLContext(seed: 1);
        RegressionRow[] rows = Smooth(300, 4);
        RegressionRow[] scaled = rows.Select(row => new RegressionRow { Label = 1000 * row.Label + 7, Features = row.Features }).ToArray();
        var first = context.Regression.Trainers.JacobianRegularized(SmallOptions(epochs: 5)).Fit(View(context, rows, 5));
        var second = context.Regression.Trainers.JacobianRegularized(SmallOptions(epochs: 5)).Fit(View(context, scaled, 5));

        float[] a = first.Transform(View(context, rows, 5)).GetColumn<float>("Score").ToArray();
        float[] b = second.Transform(View(context, rows, 5)).GetColumn<float>("Score").ToArray();
        double labelStd = rows.Select(row => (double)row.Label).StdDev();
        Assert.Equal(labelStd, first.Model.LabelScale, labelStd * 1e-5);
        Assert.Equal(rows.Average(row => row.Label), first.Model.LabelShift, 1e-3);
        double worst = a.Zip(b).Max(pair => Math.Abs((1000.0 * pair.First + 7 - pair.Second) / (1000.0 * labelStd)));
        Assert.True(worst < 1e-3, $"largest difference {worst:E2} standard deviations");
    }

    [Fact]
    public void Fit_StandardizationOff_NetworkPredictsTheLabelItself()
    {
        var context = new MLContext(seed: 1);
        JacobianRegularizedRegressionTrainer.Options options = SmallOptions(epochs: 2);
        options.StandardizeLabel = false;
        var model = context.Regression.Trainers.JacobianRegularized(options).Fit(View(context, Smooth(100, 4, labelScale: 1, labelShift: 0), 5));
        Assert.Equal(0f, model.Model.LabelShift);
        Assert.Equal(1f, model.Model.LabelScale);
    }

    [Fact]
    public void Fit_HuberWithValidationAndEarlyStopping_HistoryHasValidationLossOnly()
    {
        var context = new MLContext(seed: 1);
        JacobianRegularizedRegressionTrainer.Options options = SmallOptions(epochs: 8);
        options.LossFunction = RegressionLossFunction.Huber;
        options.HuberDelta = 0.5;
        options.EarlyStoppingPatience = 2;
        var messages = new List<string>();
        context.Log += (_, e) => { if (e.Source.Contains("JacobianRegularized", StringComparison.Ordinal)) messages.Add(e.Message); };
        var model = context.Regression.Trainers.JacobianRegularized(options).Fit(View(context, Smooth(300, 5), 5), View(context, Smooth(100, 6), 5));

        TrainingHistory history = model.Model.TrainingHistory!;
        Assert.All(history.Epochs, epoch =>
        {
            Assert.NotNull(epoch.ValidationLoss);
            Assert.Null(epoch.ValidationAccuracy);
        });
        Assert.Contains(messages, m => m.Contains("Huber loss (delta 0.5) on standardized labels", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("validation Huber loss (delta 0.5)", StringComparison.Ordinal));
    }

    [Fact]
    public void CrossValidateAndPermutationFeatureImportance_Work()
    {
        var context = new MLContext(seed: 1);
        IDataView data = View(context, Smooth(300, 7), 5);
        var folds = context.Regression.CrossValidate(data, context.Regression.Trainers.JacobianRegularized(SmallOptions(epochs: 10)), numberOfFolds: 3);
        Assert.Equal(3, folds.Count);
        Assert.All(folds, fold => Assert.InRange(fold.Metrics.RSquared, 0.8, 1));

        var model = context.Regression.Trainers.JacobianRegularized(SmallOptions(epochs: 10)).Fit(data);
        var importance = context.Regression.PermutationFeatureImportance(model, data, permutationCount: 1);
        Assert.Equal(5, importance.Length);
        // x0 (3 sin x0) matters far more than x3 (0.5 x3 x4).
        Assert.True(importance[0].RootMeanSquaredError.Mean > importance[3].RootMeanSquaredError.Mean);
    }

    [Fact]
    public void SaveAndLoad_HereAndInAFreshProcess_SamePredictions()
    {
        var context = new MLContext(seed: 1);
        RegressionRow[] rows = Smooth(60, 8);
        IDataView data = View(context, rows, 5);
        ITransformer model = context.Regression.Trainers.JacobianRegularized(SmallOptions(epochs: 3)).Fit(data);
        float[] expected = model.Transform(data).GetColumn<float>("Score").ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"jr-regression-{Guid.NewGuid():N}.zip");
        try
        {
            context.Model.Save(model, data.Schema, path);
            ITransformer loaded = new MLContext(seed: 5).Model.Load(path, out _);
            Assert.Equal(expected, loaded.Transform(data).GetColumn<float>("Score").ToArray());

            (string Label, float[] Scores)[] actual = CrossProcessRunner.Score(path,
                rows.Select(row => (row.Label.ToString("R", System.Globalization.CultureInfo.InvariantCulture), row.Features)).ToArray());
            double maxDifference = actual.Select((row, i) => Math.Abs(row.Scores[0] - expected[i])).Max();
            Assert.True(maxDifference < 1e-5, $"max |score here - score in the other process| = {maxDifference}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fit_NaNLabel_ThrowsNamingRowOrSkipsWithTheOption()
    {
        var context = new MLContext(seed: 1);
        RegressionRow[] rows = Smooth(20, 9);
        rows[4].Label = float.NaN;
        IDataView data = View(context, rows, 5);
        var error = Assert.Throws<InvalidDataException>(() => context.Regression.Trainers.JacobianRegularized(SmallOptions(epochs: 1)).Fit(data));
        Assert.Equal("Row 4 of the training data has label NaN in column 'Label'; regression labels must be finite. " +
            "Fix or filter such rows, or set Options.SkipRowsWithNonFiniteLabels = true to skip them.", error.Message);

        JacobianRegularizedRegressionTrainer.Options options = SmallOptions(epochs: 1);
        options.SkipRowsWithNonFiniteLabels = true;
        var messages = new List<string>();
        context.Log += (_, e) => messages.Add(e.Message);
        context.Regression.Trainers.JacobianRegularized(options).Fit(data);
        Assert.Contains(messages, m => m.Contains("on 19 rows (1 rows with a non-finite label and 0 with non-finite features skipped)", StringComparison.Ordinal));
    }

    [Fact]
    public void Fit_ConstantLabel_Throws()
    {
        var context = new MLContext(seed: 1);
        RegressionRow[] rows = Smooth(10, 9).Select(row => new RegressionRow { Label = 2.5f, Features = row.Features }).ToArray();
        var error = Assert.Throws<InvalidDataException>(() =>
            context.Regression.Trainers.JacobianRegularized(SmallOptions(epochs: 1)).Fit(View(context, rows, 5)));
        Assert.Equal("Every one of the 10 rows of the training data has label 2.5 in column 'Label'; a constant label leaves nothing to learn.", error.Message);
    }

    [Fact]
    public void Fit_BooleanLabel_ThrowsNamingColumnTypeAndFix()
    {
        var context = new MLContext(seed: 1);
        IDataView data = View(context, BreastCancer()[..10], 30);
        var error = Assert.Throws<ArgumentException>(() => context.Regression.Trainers.JacobianRegularized(SmallOptions(epochs: 1)).Fit(data));
        Assert.Equal("The label column 'Label' is Boolean; a regression trainer needs a Single label. " +
            "Convert it first: mlContext.Transforms.Conversion.ConvertType(\"Label\", outputKind: DataKind.Single). (Parameter 'trainData')", error.Message);
    }

    [Fact]
    public void Options_ProjectionsAndBadHuberDelta_Refused()
    {
        var context = new MLContext(seed: 1);
        var projections = Assert.Throws<ArgumentOutOfRangeException>(() =>
            context.Regression.Trainers.JacobianRegularized(new JacobianRegularizedRegressionTrainer.Options { NumberOfProjections = 2 }));
        Assert.StartsWith("Options.NumberOfProjections is 2, but a regression network has one output", projections.Message, StringComparison.Ordinal);
        var delta = Assert.Throws<ArgumentOutOfRangeException>(() =>
            context.Regression.Trainers.JacobianRegularized(new JacobianRegularizedRegressionTrainer.Options { HuberDelta = double.NaN }));
        Assert.Equal("HuberDelta", delta.ParamName);
        Assert.StartsWith("Options.HuberDelta must be finite and greater than 0.", delta.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_UnknownSizeFeatures_Throws()
    {
        var context = new MLContext(seed: 1);
        IDataView data = context.Data.LoadFromEnumerable(Smooth(10, 1));   // float[] without a size: VarVector<Single>
        var error = Assert.Throws<ArgumentException>(() => context.Regression.Trainers.JacobianRegularized(SmallOptions(epochs: 1)).Fit(data));
        Assert.StartsWith("The feature column 'Features' is Vector<Single>; it must be a vector of Single of known size", error.Message, StringComparison.Ordinal);
    }
}

internal static class StatisticsExtensions
{
    /// <summary>The population standard deviation.</summary>
    public static double StdDev(this IEnumerable<double> values)
    {
        double[] array = values.ToArray();
        double mean = array.Average();
        return Math.Sqrt(array.Average(v => (v - mean) * (v - mean)));
    }
}
