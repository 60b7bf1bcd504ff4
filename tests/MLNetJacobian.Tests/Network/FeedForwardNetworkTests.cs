using MLNetJacobian.Network;

namespace MLNetJacobian.Tests.Network;

/// <summary>Creation, layout and conversion of <see cref="FeedForwardNetwork{T}"/>.</summary>
public sealed class FeedForwardNetworkTests
{
    private static readonly NetworkArchitecture Architecture = new(5, [4, 3], 2, Activation.Tanh);

    [Theory]
    [InlineData(WeightInitializer.XavierUniform)]
    [InlineData(WeightInitializer.HeNormal)]
    public void Create_SameSeed_SameWeights(WeightInitializer initializer)
    {
        var first = FeedForwardNetwork<double>.Create(Architecture, initializer, new Random(42));
        var second = FeedForwardNetwork<double>.Create(Architecture, initializer, new Random(42));
        var other = FeedForwardNetwork<double>.Create(Architecture, initializer, new Random(43));
        Assert.Equal(first.Parameters.ToArray(), second.Parameters.ToArray());
        Assert.NotEqual(first.Parameters.ToArray(), other.Parameters.ToArray());
    }

    [Fact]
    public void Create_UniformFanInBiases_WithinLimitAndCenteredWithinFourStandardErrors()
    {
        // PyTorch's nn.Linear default: b ~ U(-a, a), a = 1/sqrt(fan_in); the mean of n draws has standard error a / sqrt(3n).
        var wide = new NetworkArchitecture(16, [400], 300, Activation.Relu);
        var network = FeedForwardNetwork<double>.Create(wide, WeightInitializer.XavierUniform, BiasInitializer.UniformFanIn, new Random(5));
        IReadOnlyList<int> sizes = wide.LayerSizes;
        for (int l = 0; l < wide.DenseLayerCount; l++)
        {
            double limit = 1 / Math.Sqrt(sizes[l]);
            double[] biases = network.GetBiases(l).ToArray();
            Assert.All(biases, b => Assert.InRange(b, -limit, limit));
            Assert.InRange(biases.Average(), -4 * limit / Math.Sqrt(3 * biases.Length), 4 * limit / Math.Sqrt(3 * biases.Length));
            Assert.InRange(biases.Max() - biases.Min(), 1.5 * limit, 2 * limit);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => FeedForwardNetwork<double>.Create(wide, WeightInitializer.XavierUniform, (BiasInitializer)7, new Random(5)));
    }

    [Fact]
    public void Create_XavierUniform_WeightsWithinLimitAndBiasesZero()
    {
        var network = FeedForwardNetwork<float>.Create(Architecture, WeightInitializer.XavierUniform, new Random(1));
        IReadOnlyList<int> sizes = Architecture.LayerSizes;
        for (int l = 0; l < Architecture.DenseLayerCount; l++)
        {
            float limit = MathF.Sqrt(6f / (sizes[l] + sizes[l + 1]));
            Assert.All(network.GetWeights(l).ToArray(), w => Assert.InRange(w, -limit, limit));
            Assert.All(network.GetBiases(l).ToArray(), b => Assert.Equal(0f, b));
        }
    }

    [Fact]
    public void Create_HeNormal_SampleVarianceIsTwoOverFanIn()
    {
        var network = FeedForwardNetwork<double>.Create(new NetworkArchitecture(200, [], 100, Activation.Relu), WeightInitializer.HeNormal, new Random(2));
        double[] weights = network.GetWeights(0).ToArray();
        double variance = weights.Sum(w => w * w) / weights.Length, expected = 2.0 / 200;
        // For normal draws Var(w^2) = 2 sigma^4, so the mean of 20,000 squares has relative standard error sqrt(2 / 20000) = 1%.
        Assert.InRange(variance, expected * 0.95, expected * 1.05);
        Assert.InRange(weights.Average(), -5 * Math.Sqrt(expected / weights.Length), 5 * Math.Sqrt(expected / weights.Length));
    }

    [Fact]
    public void GetWeightsAndGetBiases_Layout_SliceTheParameterBufferInOrder()
    {
        double[] parameters = Enumerable.Range(0, Architecture.ParameterCount).Select(j => (double)j).ToArray();
        var network = FeedForwardNetwork<double>.FromParameters(Architecture, parameters);
        Assert.Equal(parameters[..20], network.GetWeights(0).ToArray());
        Assert.Equal(parameters[20..24], network.GetBiases(0).ToArray());
        Assert.Equal(parameters[24..36], network.GetWeights(1).ToArray());
        Assert.Equal(parameters[36..39], network.GetBiases(1).ToArray());
        Assert.Equal(parameters[39..45], network.GetWeights(2).ToArray());
        Assert.Equal(parameters[45..], network.GetBiases(2).ToArray());
        Assert.Equal(5, network.Layers.Count);
        Assert.Equal(39, network.GetLayerParameterOffset(4));
    }

    [Fact]
    public void FromParameters_WrongLength_ThrowsWithBothCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => FeedForwardNetwork<double>.FromParameters(Architecture, new double[10]));
        Assert.Equal("parameters", error.ParamName);
        Assert.Contains("47", error.Message);
        Assert.Contains("10", error.Message);
    }

    [Fact]
    public void GetWeights_LayerOutOfRange_ThrowsNamingLayer()
    {
        var network = FeedForwardNetwork<double>.Create(Architecture, WeightInitializer.XavierUniform, new Random(1));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => network.GetWeights(3));
        Assert.Equal("layer", error.ParamName);
    }

    [Fact]
    public void Convert_DoubleToFloatAndBack_RoundsEachParameterAndKeepsTheArchitecture()
    {
        var network = FeedForwardNetwork<double>.Create(Architecture, WeightInitializer.HeNormal, new Random(3));
        FeedForwardNetwork<float> single = network.Convert<float>();
        Assert.Equal(Architecture, single.Architecture);
        for (int j = 0; j < network.ParameterCount; j++) Assert.Equal((float)network.Parameters[j], single.Parameters[j]);
        FeedForwardNetwork<double> back = single.Convert<double>();
        for (int j = 0; j < network.ParameterCount; j++) Assert.Equal(single.Parameters[j], back.Parameters[j]);
    }

    [Fact]
    public void Create_UnsupportedElementType_Throws() =>
        Assert.Throws<NotSupportedException>(() => FeedForwardNetwork<Half>.Create(Architecture, WeightInitializer.XavierUniform, new Random(1)));
}
