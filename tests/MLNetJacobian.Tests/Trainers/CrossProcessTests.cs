using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Tests.Onnx;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

public class CrossProcessTests
{
    [Fact]
    public void Load_InSecondProcessReferencingOnlyMLNetAndThisLibrary_SamePredictions()
    {
        var context = new MLContext(seed: 1);
        LabeledDataset digits = DigitsDataset.Load(scaleToUnitInterval: true);
        IDataView data = TestData.View(context, digits, take: 120);
        var architecture = new NetworkArchitecture(64, [20], 10, Activation.Softplus);
        var model = new JacobianRegularizedModelParameters(
            architecture, ReferenceClassifier.RandomParameters(architecture, seed: 8), digits.ClassNames);
        ITransformer labelToKey = context.Transforms.Conversion.MapValueToKey("Label").Fit(data);
        var network = new JacobianRegularizedPredictionTransformer(context, model);
        ITransformer keyToLabel = context.Transforms.Conversion.MapKeyToValue("PredictedLabel")
            .Fit(network.Transform(labelToKey.Transform(data)));
        ITransformer pipeline = labelToKey.Append(network).Append(keyToLabel);
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
