using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using Xunit.Abstractions;

namespace MLNetJacobian.Tests.Network;

/// <summary>
/// The convolution, pooling and dropout layers: forward against direct loops written from the definitions, and every
/// pass (backward, VJP, reverse VJP with its curvature term, parameter gradient over stacked rows) against finite
/// differences in double, with strides, padding, rectangular kernels, odd sizes and several channels.
/// </summary>
public sealed class ConvolutionLayerTests(ITestOutputHelper output)
{
    // (channels, height, width, out channels, kh, kw, stride h, stride w, pad h, pad w)
    public static TheoryData<int, int, int, int, int, int, int, int, int, int> ConvCases() => new()
    {
        { 1, 6, 6, 2, 3, 3, 1, 1, 1, 1 },
        { 3, 7, 5, 4, 3, 2, 2, 1, 1, 0 },
        { 2, 7, 7, 3, 3, 3, 2, 2, 0, 0 },
        { 2, 5, 6, 3, 5, 5, 1, 1, 2, 2 },
        { 3, 9, 8, 2, 4, 3, 3, 2, 2, 1 },
        { 1, 3, 3, 1, 1, 1, 1, 1, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2D_EveryPass_MatchesDefinitionAndFiniteDifferences(int channels, int height, int width, int outChannels,
        int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var shape = new ImageShape(channels, height, width);
        var layer = new Conv2DLayer<double>(shape, outChannels, kh, kw, sh, sw, ph, pw);
        Assert.Equal((height + 2 * ph - kh) / sh + 1, layer.OutputShape.Height);
        Assert.Equal((width + 2 * pw - kw) / sw + 1, layer.OutputShape.Width);
        var check = new LayerGradientCheck(layer, rows: 2, repeats: 3, seed: channels * 100 + height * 10 + kh);
        (double[] actual, _) = check.Forward(check.Parameters, check.Inputs, 2);
        double[] expected = ReferenceConvolution(shape, outChannels, kh, kw, sh, sw, ph, pw, check.Parameters, check.Inputs, 2);
        NumericAssert.Close(expected, actual, 1e-13, "forward");
        output.WriteLine($"conv {shape} -> {layer.OutputShape}: max relative error {check.Run():E2}");
    }

    [Theory]
    [InlineData(1, 6, 6, 2, 2, 2, 2)]
    [InlineData(3, 7, 5, 3, 2, 2, 1)]
    [InlineData(2, 5, 7, 2, 3, 1, 2)]
    [InlineData(4, 4, 4, 4, 4, 1, 1)]
    public void MaxPool2D_EveryPass_MatchesDefinitionAndFiniteDifferences(int channels, int height, int width, int kh, int kw, int sh, int sw)
    {
        var shape = new ImageShape(channels, height, width);
        var layer = new MaxPool2DLayer<double>(shape, kh, kw, sh, sw);
        var check = new LayerGradientCheck(layer, rows: 2, repeats: 2, seed: 7 * channels + height);
        (double[] actual, _) = check.Forward(check.Parameters, check.Inputs, 2);
        NumericAssert.Close(ReferencePool(shape, kh, kw, sh, sw, check.Inputs, 2, max: true), actual, 0, "forward");
        output.WriteLine($"maxpool {shape} -> {layer.OutputShape}: max relative error {check.Run():E2}");
    }

    [Theory]
    [InlineData(1, 6, 6, 2, 2, 2, 2)]
    [InlineData(3, 7, 5, 3, 2, 2, 1)]
    [InlineData(2, 5, 7, 2, 3, 1, 2)]
    public void AvgPool2D_EveryPass_MatchesDefinitionAndFiniteDifferences(int channels, int height, int width, int kh, int kw, int sh, int sw)
    {
        var shape = new ImageShape(channels, height, width);
        var layer = new AvgPool2DLayer<double>(shape, kh, kw, sh, sw);
        var check = new LayerGradientCheck(layer, rows: 2, repeats: 2, seed: 11 * channels + width);
        (double[] actual, _) = check.Forward(check.Parameters, check.Inputs, 2);
        NumericAssert.Close(ReferencePool(shape, kh, kw, sh, sw, check.Inputs, 2, max: false), actual, 1e-14, "forward");
        output.WriteLine($"avgpool {shape} -> {layer.OutputShape}: max relative error {check.Run():E2}");
    }

    [Fact]
    public void GlobalAvgPool_EveryPass_OneMeanPerChannel()
    {
        var shape = new ImageShape(3, 5, 4);
        var layer = AvgPool2DLayer<double>.Global(shape);
        Assert.Equal(new ImageShape(3, 1, 1), layer.OutputShape);
        var check = new LayerGradientCheck(layer, rows: 3, repeats: 2, seed: 5);
        (double[] actual, _) = check.Forward(check.Parameters, check.Inputs, 3);
        for (int i = 0; i < 3; i++)
        {
            for (int c = 0; c < 3; c++) Assert.Equal(check.Inputs.AsSpan(i * 60 + c * 20, 20).ToArray().Average(), actual[i * 3 + c], 1e-14);
        }

        output.WriteLine($"global avgpool: max relative error {check.Run():E2}");
    }

    [Fact]
    public void MaxPool2D_Ties_GoToTheFirstPositionOfTheWindow()
    {
        // Two 2x2 windows of one 2x4 plane: all zeros (after ReLU), and [1 3; 3 0] (the 3 at the top right wins).
        var layer = new MaxPool2DLayer<double>(new ImageShape(1, 2, 4), 2, 2, 2, 2);
        double[] x = [0, 0, 1, 3, 0, 0, 3, 0];
        var output = new double[2];
        var cache = new double[layer.CacheWidth];
        var context = new LayerContext<double>(new ReferenceGemmProvider());
        layer.Forward(context, [], x, output, cache, 1, null);
        Assert.Equal([0.0, 3.0], output);
        var gradient = new double[8];
        layer.Backward(context, [], cache, [10.0, 20.0], gradient, 1);
        Assert.Equal([10.0, 0, 0, 20, 0, 0, 0, 0], gradient);
        var vjp = new double[8];
        layer.Vjp(context, [], cache, [1.0, 2.0], vjp, 1, 1);
        Assert.Equal([1.0, 0, 0, 2, 0, 0, 0, 0], vjp);
        var gbar = new double[2];
        layer.ReverseVjp(context, [], cache, [0.0, 0.0], [5.0, 6, 7, 8, 9, 10, 11, 12], gbar, new double[8], 1, 1);
        Assert.Equal([5.0, 8.0], gbar);
    }

    [Fact]
    public void MaxPool2D_NaNInAWindow_Propagates()
    {
        var layer = new MaxPool2DLayer<double>(new ImageShape(1, 2, 2), 2, 2, 2, 2);
        var output = new double[1];
        layer.Forward(new LayerContext<double>(new ReferenceGemmProvider()), [], [1.0, double.NaN, 5.0, 2.0], output, new double[1], 1, null);
        Assert.True(double.IsNaN(output[0]));
    }

    [Fact]
    public void Dropout_Training_EveryPassUsesTheSameMask()
    {
        var layer = new DropoutLayer<double>(17, 0.4);
        var check = new LayerGradientCheck(layer, rows: 3, repeats: 2, seed: 9, training: () => new Random(123));
        (double[] dropped, double[] mask) = check.Forward(check.Parameters, check.Inputs, 3);
        int zeros = mask.Count(m => m == 0);
        Assert.True(zeros > 0 && zeros < mask.Length, $"{zeros} of {mask.Length} dropped.");
        for (int j = 0; j < mask.Length; j++)
        {
            Assert.True(mask[j] == 0 || Math.Abs(mask[j] - 1 / 0.6) < 1e-15, $"Mask entry {mask[j]}.");
            Assert.Equal(check.Inputs[j] * mask[j], dropped[j]);
        }

        output.WriteLine($"dropout (training): max relative error {check.Run():E2}");
    }

    [Fact]
    public void Dropout_Inference_IsTheIdentity()
    {
        var layer = new DropoutLayer<double>(5, 0.5);
        var check = new LayerGradientCheck(layer, rows: 2, repeats: 2, seed: 3);
        (double[] values, _) = check.Forward(check.Parameters, check.Inputs, 2);
        Assert.Equal(check.Inputs, values);
        check.Run();
    }

    [Fact]
    public void Dropout_Rate_DropsThatFractionInExpectation()
    {
        // 20,000 Bernoulli(0.3) draws: standard deviation of the fraction sqrt(0.21 / 20000) = 0.0032; 5 sigma = 0.016.
        var layer = new DropoutLayer<double>(1000, 0.3);
        var cache = new double[20 * 1000];
        layer.Forward(new LayerContext<double>(new ReferenceGemmProvider()), [], new double[20000], new double[20000], cache, 20, new Random(4));
        Assert.InRange(cache.Count(m => m == 0) / 20000.0, 0.3 - 0.016, 0.3 + 0.016);
    }

    [Fact]
    public void DenseAndActivation_EveryPass_MatchFiniteDifferences()
    {
        // The existing layers through the same harness: the curvature term of tanh is non-zero.
        new LayerGradientCheck(new DenseLayer<double>(5, 3), rows: 2, repeats: 2, seed: 1).Run();
        new LayerGradientCheck(new ActivationLayer<double>(Activation.Tanh, 6), rows: 2, repeats: 3, seed: 2).Run();
        new LayerGradientCheck(new ActivationLayer<double>(Activation.Gelu, 6), rows: 2, repeats: 1, seed: 3).Run();
    }

    [Theory]
    [InlineData(1, 3, 3, 4, 4, 0)]
    [InlineData(1, 3, 3, 6, 6, 1)]
    public void Conv2D_KernelLargerThanPaddedInput_Throws(int channels, int height, int width, int kh, int kw, int pad)
    {
        var error = Assert.Throws<ArgumentException>(() => new Conv2DLayer<double>(new ImageShape(channels, height, width), 2, kh, kw, 1, 1, pad, pad));
        Assert.Contains("larger than its input", error.Message);
    }

    [Fact]
    public void Conv2D_NoOutputChannel_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2DLayer<double>(new ImageShape(1, 5, 5), 0, 3, 3));

    internal static double[] ReferenceConvolution(ImageShape shape, int outChannels, int kh, int kw, int sh, int sw, int ph, int pw,
        double[] parameters, double[] x, int rows)
    {
        int outHeight = (shape.Height + 2 * ph - kh) / sh + 1, outWidth = (shape.Width + 2 * pw - kw) / sw + 1;
        int weightCount = outChannels * shape.Channels * kh * kw;
        var y = new double[rows * outChannels * outHeight * outWidth];
        for (int i = 0; i < rows; i++)
        {
            for (int o = 0; o < outChannels; o++)
            {
                for (int oy = 0; oy < outHeight; oy++)
                {
                    for (int ox = 0; ox < outWidth; ox++)
                    {
                        double sum = parameters[weightCount + o];
                        for (int c = 0; c < shape.Channels; c++)
                        {
                            for (int ky = 0; ky < kh; ky++)
                            {
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int iy = oy * sh - ph + ky, ix = ox * sw - pw + kx;
                                    if (iy < 0 || iy >= shape.Height || ix < 0 || ix >= shape.Width) continue;
                                    sum += parameters[((o * shape.Channels + c) * kh + ky) * kw + kx] *
                                        x[i * shape.FeatureCount + (c * shape.Height + iy) * shape.Width + ix];
                                }
                            }
                        }

                        y[((i * outChannels + o) * outHeight + oy) * outWidth + ox] = sum;
                    }
                }
            }
        }

        return y;
    }

    private static double[] ReferencePool(ImageShape shape, int kh, int kw, int sh, int sw, double[] x, int rows, bool max)
    {
        int outHeight = (shape.Height - kh) / sh + 1, outWidth = (shape.Width - kw) / sw + 1;
        var y = new List<double>();
        for (int i = 0; i < rows; i++)
        {
            for (int c = 0; c < shape.Channels; c++)
            {
                for (int oy = 0; oy < outHeight; oy++)
                {
                    for (int ox = 0; ox < outWidth; ox++)
                    {
                        var window = new List<double>();
                        for (int ky = 0; ky < kh; ky++)
                        {
                            for (int kx = 0; kx < kw; kx++) window.Add(x[i * shape.FeatureCount + (c * shape.Height + oy * sh + ky) * shape.Width + ox * sw + kx]);
                        }

                        y.Add(max ? window.Max() : window.Average());
                    }
                }
            }
        }

        return y.ToArray();
    }
}
