using Microsoft.ML;
using MLNetJacobian.Analysis;
using MLNetJacobian.Trainers;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Analysis;

public class TrainerModelAnalysisTests
{
    [Fact]
    public void CreateModel_TrainedOnDigits_SamePredictionsAsTheMLNetTransformerAndFiniteDifferencesAgree()
    {
        DigitsModels models = DigitsModels.Instance;
        var context = new MLContext(seed: 2);
        var transformer = context.MulticlassClassification.Trainers
            .JacobianRegularized(hiddenLayers: [32], jacobianWeight: 0.01f, numberOfEpochs: 3, learningRate: 0.05f, activation: MLNetJacobian.Network.Activation.Tanh)
            .Fit(models.TrainView);
        NetworkModel<float> exact = transformer.Model.CreateModel(maxBatchSize: 512);
        var throughMLNet = new TransformerModel(transformer, 64);
        int rows = 60;
        float[] features = models.Test.Features.AsSpan(0, rows * 64).ToArray();
        int[] exactClasses = new int[rows], mlnetClasses = new int[rows];
        float[] logits = new float[rows * 10], probabilities = new float[rows * 10];

        ModelPredictions.PredictClasses(exact, features, rows, logits, exactClasses);
        ModelPredictions.PredictClasses(throughMLNet, features, rows, probabilities, mlnetClasses);

        Assert.Equal(exactClasses, mlnetClasses);
        Assert.Equal(exact.ClassNames, throughMLNet.ClassNames);

        // The ML.NET Score is softmax(logits): its finite-difference Jacobian (through the ONNX chain) must match the
        // softmax chain applied to the exact logit Jacobian.
        float[] x = models.Test.Row(0).ToArray();
        double[] z = new double[10], logitJacobian = new double[640], p = new double[10], expected = new double[640];
        exact.ComputeJacobian(x, z, logitJacobian);
        SoftmaxJacobian.Apply(z, logitJacobian, p, expected);
        double[] scores = new double[10], actual = new double[640];
        FiniteDifferenceJacobian.WithAbsoluteStep(throughMLNet, 1e-2).ComputeJacobian(x, scores, actual);
        double scale = expected.Max(Math.Abs);
        // h = 0.01 on a smooth tanh network in float: truncation and rounding both well under 2% of the largest entry.
        for (int i = 0; i < 640; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 0.02 * scale, $"entry {i}: exact chain {expected[i]}, finite difference {actual[i]}");
    }
}
