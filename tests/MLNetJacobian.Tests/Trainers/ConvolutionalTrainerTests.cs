using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Robustness;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>
/// Convolutional networks through the ML.NET face: the layer list and image shape in the options (or the image shape
/// from the feature column's dimensions), training, scoring through the ONNX graph, save and load.
/// </summary>
public sealed class ConvolutionalTrainerTests
{
    private const string Layers = "conv 4 3 pad 1, relu, maxpool 2, dense 16, tanh, dropout 0.2";

    private static readonly Lazy<(MLContext Context, IDataView Data, ITransformer Model)> Trained = new(() =>
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 600);
        ITransformer model = Pipeline(context, new JacobianRegularizedTrainer.Options
        {
            Layers = NetworkLayers.Parse(Layers),
            ImageShape = new ImageShape(1, 8, 8),
            NumberOfEpochs = 8,
            LearningRate = 0.05,
            JacobianWeight = 0.01,
            Seed = 3,
            NumberOfThreads = 1,
        }).Fit(data);
        return (context, data, model);
    });

    [Fact]
    public void Fit_ConvolutionalLayers_LearnsTheDigitsAndRecordsTheLayerList()
    {
        var (_, data, model) = Trained.Value;
        JacobianRegularizedModelParameters parameters = NetworkOf(model);
        Assert.Equal(new ImageShape(1, 8, 8), parameters.ImageShape);
        Assert.Equal(Layers, NetworkLayers.Format(parameters.Layers));
        Assert.Equal(3, parameters.WeightLayerCount);
        Assert.Equal(4 * 9, parameters.GetWeights(0).Length);
        // 600 training rows of 10 balanced classes: chance is 10%; a working network fits far above half of them.
        double accuracy = Accuracy(data, model.Transform(data));
        Assert.True(accuracy > 0.6, $"training accuracy {accuracy:P1}");
    }

    [Fact]
    public void Transform_OnnxScores_MatchTheEngine()
    {
        var (_, data, model) = Trained.Value;
        JacobianRegularizedModelParameters parameters = NetworkOf(model);
        float[][] scores = model.Transform(data).GetColumn<float[]>("Score").ToArray();
        float[] features = TestData.Features(model.Transform(data));
        var evaluator = new NetworkEvaluator<float>(parameters.CreateNetwork(), new MLNetJacobian.Compute.ReferenceGemmProvider(), scores.Length);
        var logits = new float[scores.Length * 10];
        evaluator.ComputeLogits(features, scores.Length, logits);
        double worst = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            float[] softmax = new float[10];
            System.Numerics.Tensors.TensorPrimitives.SoftMax(logits.AsSpan(i * 10, 10), softmax);
            for (int c = 0; c < 10; c++) worst = Math.Max(worst, Math.Abs(softmax[c] - scores[i][c]));
        }

        Assert.True(worst < 1e-5, $"max |ONNX score - engine score| = {worst}");
    }

    [Fact]
    public void Load_SavedConvolutionalPipeline_SameArchitectureAndScores()
    {
        var (context, data, model) = Trained.Value;
        string zip = Path.Combine(Path.GetTempPath(), $"conv-{Guid.NewGuid():N}.zip");
        ITransformer loaded;
        try
        {
            context.Model.Save(model, data.Schema, zip);
            loaded = JacobianRegularizedModel.Load(new MLContext(seed: 9), zip, out _);
        }
        finally
        {
            File.Delete(zip);
        }

        JacobianRegularizedModelParameters original = NetworkOf(model), restored = NetworkOf(loaded);
        Assert.Equal(original.Architecture, restored.Architecture);
        Assert.Equal(original.Parameters.ToArray(), restored.Parameters.ToArray());
        float[][] before = model.Transform(data).GetColumn<float[]>("Score").ToArray();
        float[][] after = loaded.Transform(data).GetColumn<float[]>("Score").ToArray();
        double difference = before.Zip(after).Max(pair => pair.First.Zip(pair.Second).Max(v => Math.Abs(v.First - v.Second)));
        Assert.True(difference < 1e-6, $"max |score before - score after| = {difference}");
    }

    [Fact]
    public void EvaluateRobustness_ConvolutionalModelInProcessAndLoaded_AttacksWhiteBox()
    {
        var (context, data, model) = Trained.Value;
        var options = new RobustnessOptions
        {
            LowerBound = 0,
            UpperBound = 1,
            Epsilons = [0.05f, 0.2f],
            Attacks = [PgdAttack.Fgsm(PerturbationNorm.LInfinity), new PgdAttack(PerturbationNorm.LInfinity, steps: 5)],
            MaxExamples = 100,
            BisectionSteps = 0,
            Seed = 5,
        };
        string zip = Path.Combine(Path.GetTempPath(), $"conv-{Guid.NewGuid():N}.zip");
        ITransformer loaded;
        try
        {
            context.Model.Save(model, data.Schema, zip);
            loaded = JacobianRegularizedModel.Load(new MLContext(seed: 9), zip, out _);
        }
        finally
        {
            File.Delete(zip);
        }

        foreach (ITransformer candidate in new[] { model, loaded })
        {
            RobustnessReport report = context.MulticlassClassification.EvaluateRobustness(candidate, data, options);
            Assert.Contains(report.Notices, n => n.Contains("white-box", StringComparison.Ordinal) && n.Contains("conv 4 3 pad 1", StringComparison.Ordinal));
            Assert.DoesNotContain(report.Notices, n => n.Contains("black box", StringComparison.Ordinal));
            Assert.True(report.GetAttack("PGD-5 L-inf").RequiresGradient);
        }
    }

    [Fact]
    public void Fit_ImageShapeFromTheColumnDimensions_NeedsNoOption()
    {
        var context = new MLContext(seed: 1);
        IDataView data = WithFeatureDimensions(context, 1, 8, 8);
        var model = Pipeline(context, new JacobianRegularizedTrainer.Options
        {
            Layers = NetworkLayers.Parse("conv 2 3, relu, globalavgpool"), NumberOfEpochs = 1, Seed = 1, NumberOfThreads = 1,
        }).Fit(data);
        Assert.Equal(new ImageShape(1, 8, 8), NetworkOf(model).ImageShape);
    }

    [Fact]
    public void Fit_InterleavedPixelDimensions_TellsToExtractPlanarPixels()
    {
        var context = new MLContext(seed: 1);
        IDataView data = WithFeatureDimensions(context, 8, 8, 1);
        var error = Assert.Throws<ArgumentException>(() => Pipeline(context, new JacobianRegularizedTrainer.Options
        {
            Layers = NetworkLayers.Parse("conv 2 3"), NumberOfEpochs = 1,
        }).Fit(data));
        Assert.Contains("interleavePixelColors: false", error.Message);
    }

    [Fact]
    public void Fit_ImageShapeOfAnotherSize_NamesBothSizes()
    {
        var context = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentException>(() => Pipeline(context, new JacobianRegularizedTrainer.Options
        {
            Layers = NetworkLayers.Parse("conv 2 3"), ImageShape = new ImageShape(1, 28, 28), NumberOfEpochs = 1,
        }).Fit(TestData.Digits(context, take: 50)));
        Assert.Contains("1x28x28 holds 784 features", error.Message);
        Assert.Contains("has 64", error.Message);
    }

    [Fact]
    public void Fit_ConvolutionWithoutImageShape_AsksForIt()
    {
        var context = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentException>(() => Pipeline(context, new JacobianRegularizedTrainer.Options
        {
            Layers = NetworkLayers.Parse("conv 2 3"), NumberOfEpochs = 1,
        }).Fit(TestData.Digits(context, take: 50)));
        Assert.Contains("Options.ImageShape", error.Message);
        Assert.Contains("needs an image input", error.Message);
    }

    [Fact]
    public void Fit_KernelLargerThanTheImage_NamesTheLayer()
    {
        var context = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentException>(() => Pipeline(context, new JacobianRegularizedTrainer.Options
        {
            Layers = NetworkLayers.Parse("conv 2 3, maxpool 2, conv 4 5"), ImageShape = new ImageShape(1, 8, 8), NumberOfEpochs = 1,
        }).Fit(TestData.Digits(context, take: 50)));
        Assert.Contains("Layer 3 ('conv 4 5')", error.Message);
        Assert.Contains("kernel 5x5 is larger than its input 3x3", error.Message);
    }

    private static IEstimator<ITransformer> Pipeline(MLContext context, JacobianRegularizedTrainer.Options options) =>
        context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.MulticlassClassification.Trainers.JacobianRegularized(options))
            .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    private static JacobianRegularizedModelParameters NetworkOf(ITransformer model) =>
        ((IEnumerable<ITransformer>)model).OfType<JacobianRegularizedPredictionTransformer>().Single().Model;

    private static double Accuracy(IDataView data, IDataView scored) =>
        data.GetColumn<string>("Label").Zip(scored.GetColumn<string>("PredictedLabel")).Average(pair => pair.First == pair.Second ? 1.0 : 0.0);

    /// <summary>200 digits whose feature column records the dimensions <c>[a, b, c]</c>, as ExtractPixels does.</summary>
    private static IDataView WithFeatureDimensions(MLContext context, int a, int b, int c)
    {
        LabeledDataset digits = DigitsDataset.Load(scaleToUnitInterval: true);
        var rows = Enumerable.Range(0, 200).Select(i => new LabeledRow { Features = digits.Row(i).ToArray(), Label = digits.ClassNames[digits.Labels[i]] });
        SchemaDefinition definition = SchemaDefinition.Create(typeof(LabeledRow));
        definition[nameof(LabeledRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, a, b, c);
        return context.Data.LoadFromEnumerable(rows, definition);
    }
}
