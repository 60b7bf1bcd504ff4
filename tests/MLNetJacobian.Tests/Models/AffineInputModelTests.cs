using MLNetJacobian.Models;
using MLNetJacobian.Network;
using MLNetJacobian.Robustness;

namespace MLNetJacobian.Tests.Models;

/// <summary>
/// A network seen through a per-feature affine input map (a normalizer a convolution cannot absorb): its Jacobian and
/// its loss gradient in the raw features against central differences of the wrapped outputs.
/// </summary>
public sealed class AffineInputModelTests
{
    private static (AffineInputModel Model, float[] X) Create()
    {
        var architecture = new NetworkArchitecture(new ImageShape(2, 5, 5), NetworkLayers.Parse("conv 3 3 pad 1, tanh, maxpool 2, dense 6, softplus"), 4);
        var network = FeedForwardNetwork<double>.Create(architecture, WeightInitializer.XavierUniform, new Random(4));
        var random = new Random(5);
        float[] scale = Enumerable.Range(0, 50).Select(_ => (float)(0.2 + random.NextDouble())).ToArray();
        float[] shift = Enumerable.Range(0, 50).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        scale[7] = 0; // a feature the map makes constant: no gradient, no error
        float[] x = Enumerable.Range(0, 50).Select(i => (float)Math.Sin(0.7 * i)).ToArray();
        return (new AffineInputModel(new NetworkModel<double>(network), scale, shift, "a test map"), x);
    }

    [Fact]
    public void ComputeJacobian_ConvolutionBehindAnAffineMap_AgreesWithFiniteDifferences()
    {
        var (model, x) = Create();
        double[] exact = new double[200], approximate = new double[200], outputs = new double[4], scores = new double[4];
        model.ComputeJacobian(x, outputs, exact);
        FiniteDifferenceJacobian.WithAbsoluteStep(model, 1e-3).ComputeJacobian(x, scores, approximate);

        double scale = exact.Max(Math.Abs);
        Assert.True(scale > 1e-3, "The Jacobian is zero.");
        for (int i = 0; i < 200; i++)
        {
            // Outputs pass through float (rounding ~6e-8 |z| / 2e-3) plus O(h^2) truncation; max pooling has no tie here.
            Assert.True(Math.Abs(exact[i] - approximate[i]) <= 2e-4 * Math.Max(scale, 1), $"entry {i}: exact {exact[i]}, finite difference {approximate[i]}");
        }

        for (int k = 0; k < 4; k++) Assert.Equal(0, exact[k * 50 + 7]);
        Assert.Contains("a test map", model.Description, StringComparison.Ordinal);
        Assert.True(model.IsJacobianExact);
    }

    [Fact]
    public void ComputeInputGradient_TwoRows_IsTheJacobianTransposeTimesTheLossGradient()
    {
        var (model, x) = Create();
        float[] rows = [.. x, .. x.Select(v => -v)];
        var gradient = new float[100];
        model.ComputeLossGradient(rows, [1, 3], 2, ILogitLoss.CrossEntropy, new float[8], new float[2], gradient);
        for (int r = 0; r < 2; r++)
        {
            double[] jacobian = new double[200], z = new double[4];
            ((AffineInputModel)model.CreateThreadInstance()).ComputeJacobian(rows.AsSpan(r * 50, 50), z, jacobian);
            double[] p = z.Select(Math.Exp).ToArray();
            double sum = p.Sum();
            int label = r == 0 ? 1 : 3;
            for (int j = 0; j < 50; j++)
            {
                double expected = 0;
                for (int k = 0; k < 4; k++) expected += (p[k] / sum - (k == label ? 1 : 0)) * jacobian[k * 50 + j];
                Assert.Equal(expected, gradient[r * 50 + j], 4);
            }
        }
    }

    [Fact]
    public void Constructor_LengthOrValueWrong_NamesIt()
    {
        var network = new NetworkModel<float>(FeedForwardNetwork<float>.Create(new NetworkArchitecture(3, [2], 2, Activation.Tanh), WeightInitializer.XavierUniform, new Random(1)));
        var error = Assert.Throws<ArgumentException>(() => new AffineInputModel(network, [1, 1], [0, 0], "m"));
        Assert.Contains("reads 3 features", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => new AffineInputModel(network, [1, float.NaN, 1], [0, 0, 0], "m"));
        Assert.Contains("Feature 1", error.Message, StringComparison.Ordinal);
    }
}
