using MLNetJacobian.Analysis;
using MLNetJacobian.Models;
using MLNetJacobian.Tests.Analysis;

namespace MLNetJacobian.Tests.Models;

public class FiniteDifferenceJacobianTests
{
    [Fact]
    public void Compute_TanhNetwork_AgreesWithExactJacobianInOneBatch()
    {
        var network = new TanhTestNetwork(featureCount: 12, hidden: 16, classCount: 5, seed: 4, weightScale: 1.5);
        var finiteDifference = FiniteDifferenceJacobian.WithAbsoluteStep(network, 1e-3);
        var random = new Random(9);
        for (int example = 0; example < 4; example++)
        {
            float[] x = Enumerable.Range(0, 12).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
            double[] exact = new double[60], approximate = new double[60], exactOutputs = new double[5], outputs = new double[5];
            network.ComputeJacobian(x, exactOutputs, exact);
            int callsBefore = network.ClassifyCalls;

            finiteDifference.ComputeJacobian(x, outputs, approximate);

            Assert.Equal(callsBefore + 1, network.ClassifyCalls);
            double scale = exact.Max(Math.Abs);
            for (int i = 0; i < 60; i++)
            {
                // Scores pass through float: rounding ~6e-8 |z| / 2h = 3e-5 |z| (|z| ~ 1), truncation h^2 |f'''| ~ 1e-6.
                Assert.True(Math.Abs(exact[i] - approximate[i]) <= 2e-4 * Math.Max(scale, 1), $"entry {i}: exact {exact[i]}, finite difference {approximate[i]}");
            }

            for (int k = 0; k < 5; k++) Assert.Equal(exactOutputs[k], outputs[k], 5);
        }
    }

    [Fact]
    public void Compute_MaximumEntropyScores_AgreesWithSoftmaxOfPublicWeights()
    {
        DigitsModels models = DigitsModels.Instance;
        var classifier = new TransformerModel(models.MaximumEntropy, 64);
        var finiteDifference = FiniteDifferenceJacobian.WithAbsoluteStep(classifier, 1e-2);
        var linear = LinearModel.FromParameters(models.MaximumEntropy.Model);
        for (int example = 0; example < 3; example++)
        {
            float[] x = models.Test.Row(example).ToArray();
            double[] logits = new double[10], logitJacobian = new double[640], probabilities = new double[10], expected = new double[640];
            linear.ComputeJacobian(x, logits, logitJacobian);
            SoftmaxJacobian.Apply(logits, logitJacobian, probabilities, expected);
            double[] scores = new double[10], actual = new double[640];

            finiteDifference.ComputeJacobian(x, scores, actual);

            for (int k = 0; k < 10; k++) Assert.Equal(probabilities[k], scores[k], 4);
            double scale = expected.Max(Math.Abs);
            for (int i = 0; i < 640; i++)
            {
                // h = 0.01 on a softmax of logits with |W| ~ 1-10: truncation h^2 |f'''| / 6 plus float rounding 6e-8 / 0.02;
                // a 2% of the largest entry bound is loose enough for both and still catches a wrong sign or a wrong column.
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 0.02 * scale, $"entry {i}: softmax chain {expected[i]}, finite difference {actual[i]}");
            }
        }
    }

    [Fact]
    public void Compute_WrongFeatureLength_ThrowsNamingFeatures()
    {
        var source = FiniteDifferenceJacobian.WithAbsoluteStep(new TanhTestNetwork(4, 3, 2, seed: 1), 1e-3);
        var error = Assert.Throws<ArgumentException>(() => source.ComputeJacobian(new float[3], new double[2], new double[8]));
        Assert.Equal("features", error.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-3)]
    [InlineData(double.NaN)]
    public void Constructor_BadStep_ThrowsNamingStep(double step)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => FiniteDifferenceJacobian.WithAbsoluteStep(new TanhTestNetwork(4, 3, 2, seed: 1), step));
        Assert.Equal("step", error.ParamName);
    }

    [Fact]
    public void ForData_FeaturesOnDifferentScales_StepIsAThousandthOfEachFeatureRange()
    {
        var model = new LinearModel([1f, 1f, 1f, 2f, 2f, 2f], [0f, 0f], 3);
        // Feature 0 spans 0..16, feature 1 spans 0..0.5, feature 2 is constant (takes the largest range, 16).
        float[] rows = [0f, 0f, 3f, 16f, 0.5f, 3f, 8f, 0.25f, 3f];

        FiniteDifferenceJacobian jacobian = FiniteDifferenceJacobian.ForData(model, rows);

        Assert.Equal(0.016, jacobian.Steps[0], 12);
        Assert.Equal(0.0005, jacobian.Steps[1], 12);
        Assert.Equal(0.016, jacobian.Steps[2], 12);
        Assert.False(jacobian.IsJacobianExact);
    }

    [Fact]
    public void ForData_TanhNetworkOnRawPixels_MatchesTheExactJacobianBetterThanAnAbsoluteStep()
    {
        // A tanh network reading 0..16 pixels (first layer scaled by 1/16): the absolute 1e-3 step is buried in the
        // float rounding of the outputs; a step of a thousandth of the range is not.
        var unit = new TanhTestNetwork(6, 5, 3, seed: 4, weightScale: 2.0);
        var raw = new ScaledInput(unit, 1.0 / 16);
        var random = new Random(3);
        float[] rows = Enumerable.Range(0, 20 * 6).Select(_ => (float)(16 * random.NextDouble())).ToArray();
        FiniteDifferenceJacobian scaled = FiniteDifferenceJacobian.ForData(raw, rows);
        FiniteDifferenceJacobian absolute = FiniteDifferenceJacobian.WithAbsoluteStep(raw, 1e-3);
        double scaledError = 0, absoluteError = 0;
        for (int i = 0; i < 20; i++)
        {
            float[] x = rows.AsSpan(i * 6, 6).ToArray();
            double[] exact = new double[18], outputs = new double[3], estimate = new double[18];
            raw.ComputeJacobian(x, outputs, exact);
            scaled.ComputeJacobian(x, outputs, estimate);
            scaledError = Math.Max(scaledError, exact.Zip(estimate, (a, b) => Math.Abs(a - b)).Max());
            absolute.ComputeJacobian(x, outputs, estimate);
            absoluteError = Math.Max(absoluteError, exact.Zip(estimate, (a, b) => Math.Abs(a - b)).Max());
        }

        Assert.True(scaledError < absoluteError, $"scaled step error {scaledError}, absolute step error {absoluteError}");
    }

    /// <summary>A model reading <c>x * scale</c>: the chain rule scales its Jacobian; outputs rounded to float as ML.NET's are.</summary>
    private sealed class ScaledInput(TanhTestNetwork inner, double scale) : IJacobianModel
    {
        public int FeatureCount => inner.FeatureCount;

        public int OutputCount => inner.OutputCount;

        public ModelTask Task => inner.Task;

        public ModelOutputKind OutputKind => inner.OutputKind;

        public IReadOnlyList<string> ClassNames => inner.ClassNames;

        public string Description => "scaled input";

        public bool IsJacobianExact => true;

        public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> outputs) =>
            inner.ComputeOutputs(Scale(features), rows, outputs);

        public void ComputeJacobian(ReadOnlySpan<float> features, Span<double> outputs, Span<double> jacobian)
        {
            inner.ComputeJacobian(Scale(features), outputs, jacobian);
            for (int i = 0; i < jacobian.Length; i++) jacobian[i] *= scale;
        }

        public IModel CreateThreadInstance() => this;

        private float[] Scale(ReadOnlySpan<float> features)
        {
            var scaled = new float[features.Length];
            for (int i = 0; i < features.Length; i++) scaled[i] = (float)(features[i] * scale);
            return scaled;
        }
    }
}
