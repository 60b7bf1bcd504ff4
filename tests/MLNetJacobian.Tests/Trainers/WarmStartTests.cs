using Microsoft.ML;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>Warm start and initial weights: <c>Fit(train, modelParameters)</c>, as ML.NET's L-BFGS trainers offer.</summary>
public sealed class WarmStartTests
{
    private static JacobianRegularizedTrainer.Options Options(int epochs, double learningRate = 0.1) => new()
    {
        HiddenLayers = [16],
        NumberOfEpochs = epochs,
        LearningRate = learningRate,
        JacobianWeight = 0.01,
        Seed = 4,
        NumberOfThreads = 1,
    };

    [Fact]
    public void Fit_GivenInitialWeights_TrainingStartsFromThem()
    {
        var context = new MLContext(seed: 1);
        IDataView data = context.Transforms.Conversion.MapValueToKey("Label").Fit(TestData.Digits(context, take: 300)).Transform(TestData.Digits(context, take: 300));
        var architecture = new NetworkArchitecture(64, [16], 10, Activation.Relu);
        float[] initial = MLNetJacobian.Tests.Onnx.ReferenceClassifier.RandomParameters(architecture, seed: 11);
        var start = new JacobianRegularizedModelParameters(architecture, initial, Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());

        // A learning rate this small leaves the weights where they started: the run began from them, not from a random draw.
        JacobianRegularizedPredictionTransformer fitted = new JacobianRegularizedTrainer(context, Options(1, learningRate: 1e-9)).Fit(data, start);

        float[] after = fitted.Model.Parameters.ToArray();
        double largest = initial.Zip(after).Max(pair => Math.Abs(pair.First - pair.Second));
        Assert.True(largest < 1e-5, $"max |after - initial| = {largest}");
    }

    [Fact]
    public void Fit_ContinueFromTrainedModel_StartsAtItsLoss()
    {
        var context = new MLContext(seed: 1);
        IDataView raw = TestData.Digits(context, take: 400);
        IDataView data = context.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        var trainer = new JacobianRegularizedTrainer(context, Options(4));
        JacobianRegularizedPredictionTransformer first = trainer.Fit(data);

        JacobianRegularizedPredictionTransformer continued = new JacobianRegularizedTrainer(context, Options(1)).Fit(data, first.Model);
        JacobianRegularizedPredictionTransformer fresh = new JacobianRegularizedTrainer(context, Options(1)).Fit(data);

        double continuedLoss = continued.Model.TrainingHistory!.Epochs[0].DataLoss;
        double freshLoss = fresh.Model.TrainingHistory!.Epochs[0].DataLoss;
        double lastLoss = first.Model.TrainingHistory!.Epochs[^1].DataLoss;
        Assert.True(continuedLoss < 0.5 * freshLoss, $"continued {continuedLoss}, fresh {freshLoss}");
        Assert.True(continuedLoss < 1.5 * lastLoss, $"continued {continuedLoss}, end of the first run {lastLoss}");
    }

    [Fact]
    public void Fit_StartingNetworkOfAnotherShape_ArgumentExceptionSayingHow()
    {
        var context = new MLContext(seed: 1);
        IDataView raw = TestData.Digits(context, take: 100);
        IDataView data = context.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        var architecture = new NetworkArchitecture(64, [8], 10, Activation.Relu);
        var start = new JacobianRegularizedModelParameters(architecture, new float[architecture.ParameterCount],
            Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());

        var error = Assert.Throws<ArgumentException>(() => new JacobianRegularizedTrainer(context, Options(1)).Fit(data, start));

        Assert.Contains("64-8-10", error.Message, StringComparison.Ordinal);
        Assert.Contains("64-16-10", error.Message, StringComparison.Ordinal);
        Assert.Equal("modelParameters", error.ParamName);
    }
}
