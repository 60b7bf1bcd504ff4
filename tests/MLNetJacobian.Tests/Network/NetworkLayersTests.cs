using MLNetJacobian.Compute;
using MLNetJacobian.Network;

namespace MLNetJacobian.Tests.Network;

/// <summary>The layer list written once: its text form, the typed specifications, and the checks against the input shape.</summary>
public sealed class NetworkLayersTests
{
    private const string LeNet = "conv 6 5 pad 2, tanh, maxpool 2, conv 16 5, tanh, maxpool 2, dense 120, tanh, dropout 0.5, dense 84, tanh, dropout 0.5";

    [Fact]
    public void Parse_LeNet_GivesTheTypedListAndFormatsBack()
    {
        IReadOnlyList<LayerSpec> layers = NetworkLayers.Parse(LeNet);
        LayerSpec[] typed =
        [
            new ConvLayerSpec(6, kernel: 5, padding: 2), new ActivationLayerSpec(Activation.Tanh), new PoolLayerSpec(Pooling.Max, 2),
            new ConvLayerSpec(16, 5), new ActivationLayerSpec(Activation.Tanh), new PoolLayerSpec(Pooling.Max, 2),
            new DenseLayerSpec(120), new ActivationLayerSpec(Activation.Tanh), new DropoutLayerSpec(0.5),
            new DenseLayerSpec(84), new ActivationLayerSpec(Activation.Tanh), new DropoutLayerSpec(0.5),
        ];
        Assert.Equal(typed, layers);
        Assert.Equal(LeNet, NetworkLayers.Format(layers));
    }

    [Theory]
    [InlineData("conv 8 3x5 stride 2x1 pad 1x2, relu, avgpool 3 stride 2, globalavgpool, dense 4, gelu")]
    [InlineData("maxpool 2x3 stride 1, softplus, dropout 0.25")]
    [InlineData("dense 200, relu, dense 200, relu")]
    public void Format_ParsedText_RoundTrips(string text) => Assert.Equal(text, NetworkLayers.Format(NetworkLayers.Parse(text)));

    [Fact]
    public void Parse_CaseAndSpacing_AreFree() =>
        Assert.Equal(NetworkLayers.Parse("conv 6 5 pad 2, tanh"), NetworkLayers.Parse("  CONV 6 5   PAD 2 ,Tanh "));

    [Fact]
    public void Parse_PoolWords_GiveOneSpecKindByPooling()
    {
        var max = Assert.IsType<PoolLayerSpec>(Assert.Single(NetworkLayers.Parse("maxpool 2")));
        var average = Assert.IsType<PoolLayerSpec>(Assert.Single(NetworkLayers.Parse("avgpool 2")));
        Assert.Equal(Pooling.Max, max.Pooling);
        Assert.Equal(Pooling.Average, average.Pooling);
        Assert.NotEqual<LayerSpec>(max, average);
        Assert.Equal(new PoolLayerSpec(Pooling.Average, 2, 2, 2, 2), average);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoolLayerSpec((Pooling)7, 2));
    }

    [Fact]
    public void Parse_Blank_IsEmpty() => Assert.Empty(NetworkLayers.Parse("  "));

    [Fact]
    public void Parse_UnknownWord_ListsTheKnownOnesAndThePosition()
    {
        var error = Assert.Throws<FormatException>(() => NetworkLayers.Parse("conv 6 5, tanh, maxpol 2"));
        Assert.Contains("Layer 3 ('maxpol 2')", error.Message);
        Assert.Contains("unknown layer word 'maxpol'", error.Message);
        foreach (string word in new[] { "conv", "maxpool", "avgpool", "globalavgpool", "dense", "dropout", "relu", "tanh", "softplus", "gelu" })
        {
            Assert.Contains(word, error.Message);
        }
    }

    [Theory]
    [InlineData("conv 0 5", "Layer 1 ('conv 0 5')", "at least 1 output channel")]
    [InlineData("dense 10, dropout 1", "Layer 2 ('dropout 1')", "[0, 1)")]
    [InlineData("conv 6", "Layer 1 ('conv 6')", "conv C K")]
    [InlineData("conv 6 5 pad", "Layer 1 ('conv 6 5 pad')", "needs a value")]
    [InlineData("conv 6 5 strid 2", "Layer 1 ('conv 6 5 strid 2')", "unexpected 'strid'")]
    [InlineData("maxpool 2 stride 0", "Layer 1 ('maxpool 2 stride 0')", "at least 1")]
    [InlineData("dense x", "Layer 1 ('dense x')", "not an integer")]
    [InlineData("dense 5,, relu", "Layer 2 ('')", "empty")]
    public void Parse_BadSetting_NamesTheLayerAndTheProblem(string text, string where, string problem)
    {
        var error = Assert.Throws<FormatException>(() => NetworkLayers.Parse(text));
        Assert.Contains(where, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Architecture_LeNetOnMnist_HasTheExpectedShapesAndParameterCount()
    {
        var architecture = new NetworkArchitecture(new ImageShape(1, 28, 28), NetworkLayers.Parse(LeNet), 10);
        // conv 1->6 5x5: 156; conv 6->16 5x5: 2416; 16*5*5 -> 120: 48120; 120 -> 84: 10164; 84 -> 10: 850.
        Assert.Equal(156 + 2416 + 48120 + 10164 + 850, architecture.ParameterCount);
        Assert.Equal(784, architecture.InputSize);
        Assert.Equal(5, architecture.WeightLayerCount);
        Assert.False(architecture.IsMultilayerPerceptron);
        Assert.Throws<InvalidOperationException>(() => architecture.HiddenLayers);
        var network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, new Random(1));
        int[] widths = network.Layers.Select(layer => layer.OutputWidth).ToArray();
        Assert.Equal([6 * 28 * 28, 6 * 28 * 28, 6 * 14 * 14, 16 * 10 * 10, 1600, 400, 120, 120, 120, 84, 84, 84, 10], widths);
        Assert.Equal(25 * 6, network.GetWeights(0).Length);
        Assert.Equal(6, network.GetBiases(0).Length);
        float limit = MathF.Sqrt(6f / (25 + 150));   // Glorot for a convolution: fans in*kh*kw and out*kh*kw
        Assert.All(network.GetWeights(0).ToArray(), w => Assert.InRange(w, -limit, limit));
        Assert.Contains(network.GetWeights(0).ToArray(), w => Math.Abs(w) > 0.9f * limit);
        Assert.Equal("1x28x28: " + LeNet + " -> 10", architecture.ToString());
    }

    [Fact]
    public void Architecture_HiddenLayers_MapOntoTheSameList()
    {
        var perceptron = new NetworkArchitecture(784, [256, 128], 10, Activation.Relu);
        var listed = new NetworkArchitecture(784, NetworkLayers.Parse("dense 256, relu, dense 128, relu"), 10);
        Assert.Equal(perceptron, listed);
        Assert.True(listed.IsMultilayerPerceptron);
        Assert.Equal([256, 128], listed.HiddenLayers);
        Assert.Equal(perceptron.ParameterCount, listed.ParameterCount);
        Assert.Equal("784-256-128-10 Relu", listed.ToString());
    }

    [Theory]
    [InlineData("conv 6 7", "Layer 1 ('conv 6 7')", "kernel 7x7 is larger than its input 5x5")]
    [InlineData("conv 6 3, maxpool 4", "Layer 2 ('maxpool 4')", "larger than its input 3x3")]
    [InlineData("dense 10, conv 2 3", "Layer 2 ('conv 2 3')", "needs an image input")]
    public void Architecture_LayerThatDoesNotFit_NamesTheLayerAndBothShapes(string text, string where, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => new NetworkArchitecture(new ImageShape(2, 5, 5), NetworkLayers.Parse(text), 3));
        Assert.Contains(where, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Architecture_ConvolutionOnFlatFeatures_AsksForTheImageShape()
    {
        var error = Assert.Throws<ArgumentException>(() => new NetworkArchitecture(784, NetworkLayers.Parse("conv 6 5"), 10));
        Assert.Contains("image shape", error.Message);
    }

    [Fact]
    public void Create_SameSeed_SameConvolutionalNetwork()
    {
        var architecture = new NetworkArchitecture(new ImageShape(3, 9, 9), NetworkLayers.Parse("conv 4 3 stride 2, relu, globalavgpool"), 5);
        var first = FeedForwardNetwork<double>.Create(architecture, WeightInitializer.HeNormal, new Random(3));
        var second = FeedForwardNetwork<double>.Create(architecture, WeightInitializer.HeNormal, new Random(3));
        Assert.Equal(first.Parameters.ToArray(), second.Parameters.ToArray());
        Assert.Equal(4 * 3 * 9 + 4 + 4 * 5 + 5, architecture.ParameterCount);
    }

    [Fact]
    public void Evaluator_DropoutNetwork_IsDeterministicAtInference()
    {
        var architecture = new NetworkArchitecture(new ImageShape(1, 6, 6), NetworkLayers.Parse("conv 2 3, tanh, dropout 0.5, dense 4, tanh, dropout 0.5"), 3);
        var network = FeedForwardNetwork<double>.Create(architecture, WeightInitializer.XavierUniform, new Random(5));
        var evaluator = new NetworkEvaluator<double>(network, new ReferenceGemmProvider(), 2);
        double[] x = Enumerable.Range(0, 72).Select(j => Math.Sin(j)).ToArray();
        double[] first = new double[6], second = new double[6];
        evaluator.ComputeLogits(x, 2, first);
        evaluator.ComputeLogits(x, 2, second);
        Assert.Equal(first, second);
    }
}
