using MLNetJacobian.Compute;
using MLNetJacobian.Network;

namespace MLNetJacobian.Tests.Network;

/// <summary>The activations' values and derivatives, against textbook formulas and finite differences, tails included.</summary>
public sealed class ActivationLayerTests
{
    private static readonly double[] Points = [-40, -12, -3.5, -1, -0.3, 0.2, 0.9, 2.5, 7, 40];

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Softplus)]
    [InlineData(Activation.Gelu)]
    public void Forward_EveryActivation_DerivativesMatchFiniteDifferencesAndValuesAreFinite(Activation activation)
    {
        var layer = new ActivationLayer<double>(activation, Points.Length);
        var values = new double[Points.Length];
        var cache = new double[layer.CacheWidth];
        layer.Forward(new LayerContext<double>(new ReferenceGemmProvider()), [], Points, values, cache, 1, null);
        const double step = 1e-4;
        for (int j = 0; j < Points.Length; j++)
        {
            double a = Points[j];
            Assert.True(double.IsFinite(values[j]) && double.IsFinite(cache[j]), $"{activation} at {a} is not finite.");
            Assert.Equal(ReferenceForward.Activate(activation, a), values[j], 1e-13 * Math.Max(1, Math.Abs(a)));
            // Central differences: error ~ h^2 s''' / 6 ~ 1e-9, well inside 1e-7.
            double slope = (ReferenceForward.Activate(activation, a + step) - ReferenceForward.Activate(activation, a - step)) / (2 * step);
            Assert.Equal(slope, cache[j], 1e-7);
            if (layer.CacheWidth == 2 * Points.Length)
            {
                var plus = new double[layer.CacheWidth];
                var minus = new double[layer.CacheWidth];
                var scratch = new double[Points.Length];
                double[] shifted = Points.Select(p => p + step).ToArray();
                layer.Forward(new LayerContext<double>(new ReferenceGemmProvider()), [], shifted, scratch, plus, 1, null);
                shifted = Points.Select(p => p - step).ToArray();
                layer.Forward(new LayerContext<double>(new ReferenceGemmProvider()), [], shifted, scratch, minus, 1, null);
                Assert.Equal((plus[j] - minus[j]) / (2 * step), cache[Points.Length + j], 1e-7);
            }
        }
    }

    [Fact]
    public void ReverseVjp_Relu_AddsNoCurvatureTerm()
    {
        var layer = new ActivationLayer<double>(Activation.Relu, 3);
        var cache = new double[3];
        layer.Forward(new LayerContext<double>(new ReferenceGemmProvider()), [], [1.0, -2.0, 0.5], new double[3], cache, 1, null);
        var gradient = new double[3];
        var adjoints = new double[3];
        layer.ReverseVjp(new LayerContext<double>(new ReferenceGemmProvider()), [], cache, [1.0, 1.0, 1.0], [2.0, 3.0, 4.0], adjoints, gradient, 1, 1);
        Assert.Equal([0.0, 0.0, 0.0], gradient);
        Assert.Equal([2.0, 0.0, 4.0], adjoints);
    }
}
