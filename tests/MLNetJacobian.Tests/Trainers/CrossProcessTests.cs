using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

public class CrossProcessTests
{
    /// <summary>An MLP, and a convolutional network with every layer kind the ONNX graph writes (Conv with a rectangular kernel
    /// and padding, MaxPool, AveragePool with a stride, GlobalAveragePool, Gemm, dropout left out at scoring).</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("conv 4 3 pad 1, tanh, maxpool 2, conv 6 2x3 pad 0x1, relu, avgpool 2 stride 1, globalavgpool, dense 12, tanh, dropout 0.3")]
    public void Load_TrainedHereLoadedInSecondProcessReferencingOnlyMLNetAndThisLibrary_SamePredictions(string? layers)
    {
        var context = new MLContext(seed: 1);
        LabeledDataset digits = DigitsDataset.Load(scaleToUnitInterval: true);
        IDataView data = TestData.View(context, digits, take: 120);
        var options = layers is null
            ? new JacobianRegularizedTrainer.Options { HiddenLayers = [20], Activation = Activation.Softplus, NumberOfEpochs = 2, Seed = 8 }
            : new JacobianRegularizedTrainer.Options { Layers = NetworkLayers.Parse(layers), ImageShape = new ImageShape(1, 8, 8), NumberOfEpochs = 2, Seed = 8, NumberOfThreads = 1 };
        ITransformer pipeline = context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.MulticlassClassification.Trainers.JacobianRegularized(options))
            .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        IDataView scored = pipeline.Transform(data);
        string[] expectedLabels = scored.GetColumn<string>("PredictedLabel").ToArray();
        float[][] expectedScores = scored.GetColumn<float[]>("Score").ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"jr-cross-{Guid.NewGuid():N}.zip");
        try
        {
            context.Model.Save(pipeline, data.Schema, path);

            var rows = Enumerable.Range(0, 120).Select(i => (digits.ClassNames[digits.Labels[i]], digits.Row(i).ToArray())).ToArray();
            (string Label, float[] Scores)[] actual = CrossProcessRunner.Score(path, rows);

            Assert.Equal(expectedLabels, actual.Select(row => row.Label));
            double maxDifference = expectedScores.Zip(actual).Max(pair => pair.First.Zip(pair.Second.Scores).Max(v => Math.Abs(v.First - v.Second)));
            Assert.True(maxDifference < 1e-5, $"max |score here - score in the other process| = {maxDifference}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
