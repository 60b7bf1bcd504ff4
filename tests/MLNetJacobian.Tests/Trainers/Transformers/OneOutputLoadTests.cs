using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLNetJacobian.Models;
using MLNetJacobian.Network;
using MLNetJacobian.Robustness;
using MLNetJacobian.Trainers;
using static MLNetJacobian.Tests.Trainers.OneOutputTestData;

namespace MLNetJacobian.Tests.Trainers.Transformers;

/// <summary>
/// One-output networks (binary, regression) through a zip: <see cref="JacobianRegularizedModel.Load"/> restores the
/// network (task, weights, label scaling) for white-box attacks, and ExportOnnx runs in ONNX Runtime with ML.NET's scores.
/// </summary>
public sealed class OneOutputLoadTests
{
    private static JacobianRegularizedRegressionTrainer.Options RegressionOptions() => new()
    {
        HiddenLayers = [16],
        Activation = Activation.Tanh,
        NumberOfEpochs = 5,
        BatchSize = 32,
        LearningRate = 0.01,
        Seed = 3,
    };

    private static JacobianRegularizedBinaryTrainer.Options BinaryOptions() => new()
    {
        HiddenLayers = [8],
        Activation = Activation.Relu,
        NumberOfEpochs = 5,
        BatchSize = 32,
        LearningRate = 0.01,
        Seed = 3,
    };

    private static T SaveAndLoad<T>(MLContext context, ITransformer model, IDataView data) where T : class, ITransformer
    {
        string path = Path.Combine(Path.GetTempPath(), $"jr-one-output-{Guid.NewGuid():N}.zip");
        try
        {
            context.Model.Save(model, data.Schema, path);
            return Assert.IsType<T>(JacobianRegularizedModel.Load(new MLContext(seed: 9), path, out _));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_Regressor_RestoresNetworkAndLabelScaling_WhiteBoxGradientInLabelUnits()
    {
        var context = new MLContext(seed: 1);
        IDataView data = View(context, Smooth(200, 8), 5);
        var model = context.Regression.Trainers.JacobianRegularized(RegressionOptions()).Fit(data);
        var loaded = SaveAndLoad<JacobianRegularizedOneOutputPredictionTransformer>(context, model, data);

        Assert.Equal(ModelTask.Regression, loaded.Model.Task);
        Assert.Equal(model.Model.LabelShift, loaded.Model.LabelShift);
        Assert.Equal(model.Model.LabelScale, loaded.Model.LabelScale);
        Assert.True(model.Model.Parameters.SequenceEqual(loaded.Model.Parameters));
        Assert.Equal(model.Transform(data).GetColumn<float>("Score").ToArray(), loaded.Transform(data).GetColumn<float>("Score").ToArray());

        // White-box through the restored network: FGSM at a small radius changes each prediction by about eps * ||grad f||_1,
        // with grad f measured by central differences on the black box (ML.NET's own scoring, in the label's units).
        float eps = 0.01f;
        RegressionRobustnessReport report = context.Regression.EvaluateRobustness(loaded, data, new RegressionRobustnessOptions
        {
            Epsilons = [eps],
            Attacks = [PgdAttack.Fgsm(PerturbationNorm.LInfinity)],
            Objectives = [RegressionObjective.PredictionChange],
            MaxExamples = 40,
            RunSanityChecks = false,
            Seed = 1,
        });
        Assert.Contains(report.Notices, n => n.Contains("white-box", StringComparison.Ordinal) && n.Contains("label's units", StringComparison.Ordinal));
        var blackBox = new TransformerModel(loaded, 5);
        var examples = DataViewExamples.FromDataView(data, 5, "Features", null, 40);
        var jacobian = FiniteDifferenceJacobian.WithAbsoluteStep(blackBox, 1e-2);
        double expected = 0;
        var outputs = new double[1];
        var gradient = new double[5];
        for (int i = 0; i < 40; i++)
        {
            jacobian.ComputeJacobian(examples.Row(i), outputs, gradient);
            expected += eps * gradient.Sum(Math.Abs) / 40;
        }

        double actual = report.Attacks[0].Points[0].Change.Mean;
        Assert.True(Math.Abs(actual - expected) <= 0.05 * expected, $"mean FGSM change {actual}, first-order estimate {expected} (label scale {loaded.Model.LabelScale}).");
    }

    [Fact]
    public void Load_BinaryClassifier_RestoresTheNetwork()
    {
        var context = new MLContext(seed: 1);
        IDataView data = View(context, BreastCancer().Take(200), 30);
        var model = context.BinaryClassification.Trainers.JacobianRegularized(BinaryOptions()).Fit(data);
        var loaded = SaveAndLoad<JacobianRegularizedOneOutputPredictionTransformer>(context, model, data);
        Assert.Equal(ModelTask.BinaryClassification, loaded.Model.Task);
        Assert.True(model.Model.Parameters.SequenceEqual(loaded.Model.Parameters));
        Assert.Equal(model.Transform(data).GetColumn<float>("Score").ToArray(), loaded.Transform(data).GetColumn<float>("Score").ToArray());
        RobustnessReport report = context.BinaryClassification.EvaluateRobustness(loaded, data, new RobustnessOptions
        {
            LowerBound = float.NegativeInfinity,
            UpperBound = float.PositiveInfinity,
            Epsilons = [0.1f],
            Attacks = [PgdAttack.Fgsm(PerturbationNorm.LInfinity)],
            MaxExamples = 50,
            RunSanityChecks = false,
            BisectionSteps = 0,
            Seed = 1,
        });
        Assert.Contains(report.Notices, n => n.Contains("white-box", StringComparison.Ordinal) && n.Contains("binary classifier", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ExportOnnx_RunsInOnnxRuntime_SameScoresAsMlNet(bool binary)
    {
        var context = new MLContext(seed: 1);
        IDataView data = binary ? View(context, BreastCancer().Take(120), 30) : View(context, Smooth(120, 8), 5);
        JacobianRegularizedOneOutputPredictionTransformer model = binary
            ? context.BinaryClassification.Trainers.JacobianRegularized(BinaryOptions()).Fit(data)
            : context.Regression.Trainers.JacobianRegularized(RegressionOptions()).Fit(data);
        int d = model.Model.FeatureCount;
        float[] expected = model.Transform(data).GetColumn<float>("Score").ToArray();
        float[] features = data.GetColumn<float[]>("Features").SelectMany(row => row).ToArray();
        using var stream = new MemoryStream();
        model.Model.ExportOnnx(stream);
        using var session = new InferenceSession(stream.ToArray());
        var input = new DenseTensor<float>(features, [expected.Length, d]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("Features", input)]);
        float[] scores = results.First(r => r.Name == "Score").AsEnumerable<float>().ToArray();
        Assert.Equal(expected.Length, scores.Length);
        double worst = scores.Select((s, i) => Math.Abs(s - expected[i]) / (1 + Math.Abs(expected[i]))).Max();
        Assert.True(worst < 1e-5, $"largest relative difference between ONNX Runtime and ML.NET scores: {worst}");
        if (binary)
        {
            float[] probabilities = results.First(r => r.Name == "Probability").AsEnumerable<float>().ToArray();
            bool[] labels = results.First(r => r.Name == "PredictedLabel").AsEnumerable<bool>().ToArray();
            for (int i = 0; i < scores.Length; i++)
            {
                Assert.Equal(1 / (1 + Math.Exp(-scores[i])), probabilities[i], 1e-6);
                Assert.Equal(scores[i] > 0, labels[i]);
            }
        }
    }
}
