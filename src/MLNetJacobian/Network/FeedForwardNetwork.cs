using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>
/// A feedforward classifier: dense layers with one hidden activation and linear logits, its parameters in one
/// contiguous buffer.
/// </summary>
/// <remarks>
/// <para>
/// <c>h_0 = x</c>, <c>a_l = W_l h_(l-1) + b_l</c>, <c>h_l = s(a_l)</c> for <c>l &lt; L</c>, logits <c>z = a_L</c>.
/// The layer sequence is dense, activation, dense, activation, ..., dense (<see cref="Layers"/>).
/// </para>
/// <para>
/// Parameter layout (fixed, relied on by optimizers, persistence and ONNX export): for dense layer
/// <c>l = 0 .. L-1</c> in order, <c>W_l: [out, in]</c> row-major, then <c>b_l: [out]</c>.
/// </para>
/// <para>The network holds no per-batch state; evaluators and objectives own their buffers.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class FeedForwardNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] parameters;
    private readonly ILayer<T>[] layers;
    private readonly int[] layerParameterOffsets;    // per entry of layers
    private readonly int[] denseParameterOffsets;    // per dense layer: offset of W_l

    private FeedForwardNetwork(NetworkArchitecture architecture, T[] parameters)
    {
        GenericGemm.EnsureSupported<T>();
        Architecture = architecture;
        this.parameters = parameters;
        IReadOnlyList<int> sizes = architecture.LayerSizes;
        int denseCount = architecture.DenseLayerCount;
        layers = new ILayer<T>[2 * denseCount - 1];
        layerParameterOffsets = new int[layers.Length];
        denseParameterOffsets = new int[denseCount];
        int offset = 0;
        for (int l = 0; l < denseCount; l++)
        {
            var dense = new DenseLayer<T>(sizes[l], sizes[l + 1]);
            layers[2 * l] = dense;
            layerParameterOffsets[2 * l] = offset;
            denseParameterOffsets[l] = offset;
            offset += dense.ParameterCount;
            if (l + 1 < denseCount)
            {
                layers[2 * l + 1] = new ActivationLayer<T>(architecture.Activation, sizes[l + 1]);
                layerParameterOffsets[2 * l + 1] = offset;
            }
        }
    }

    /// <summary>The shape of the network.</summary>
    public NetworkArchitecture Architecture { get; }

    /// <summary>The number of weights and biases.</summary>
    public int ParameterCount => parameters.Length;

    /// <summary>Every parameter, in the layout described in the remarks; writable (optimizers update it in place).</summary>
    public Span<T> Parameters => parameters;

    /// <summary>The layer sequence: dense, activation, ..., dense.</summary>
    public IReadOnlyList<ILayer<T>> Layers => layers;

    /// <summary>D, the number of inputs.</summary>
    public int InputSize => Architecture.InputSize;

    /// <summary>C, the number of logits.</summary>
    public int OutputSize => Architecture.OutputSize;

    /// <summary>The offset of a layer's slice in <see cref="Parameters"/> (and in a gradient buffer).</summary>
    /// <param name="layerIndex">Index into <see cref="Layers"/>.</param>
    public int GetLayerParameterOffset(int layerIndex)
    {
        if ((uint)layerIndex >= (uint)layers.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(layerIndex), layerIndex, $"The network has {layers.Length} layers.");
        }

        return layerParameterOffsets[layerIndex];
    }

    /// <summary>The weights of dense layer <paramref name="layer"/>: <c>W [out, in]</c> row-major, <c>a = W h + b</c>.</summary>
    /// <param name="layer">0 = the first dense layer, <c>DenseLayerCount - 1</c> = the logits.</param>
    public ReadOnlySpan<T> GetWeights(int layer)
    {
        CheckDenseLayer(layer);
        IReadOnlyList<int> sizes = Architecture.LayerSizes;
        return parameters.AsSpan(denseParameterOffsets[layer], sizes[layer + 1] * sizes[layer]);
    }

    /// <summary>The biases of dense layer <paramref name="layer"/>: <c>b [out]</c>.</summary>
    /// <param name="layer">0 = the first dense layer, <c>DenseLayerCount - 1</c> = the logits.</param>
    public ReadOnlySpan<T> GetBiases(int layer)
    {
        CheckDenseLayer(layer);
        IReadOnlyList<int> sizes = Architecture.LayerSizes;
        return parameters.AsSpan(denseParameterOffsets[layer] + sizes[layer + 1] * sizes[layer], sizes[layer + 1]);
    }

    /// <summary>Creates a network with freshly drawn weights and zero biases; the same <paramref name="random"/> state gives the same weights.</summary>
    /// <param name="architecture">The shape.</param>
    /// <param name="initializer">How weights are drawn.</param>
    /// <param name="random">The source of randomness (weights are drawn layer by layer, row-major).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initializer"/> is not a defined value.</exception>
    public static FeedForwardNetwork<T> Create(NetworkArchitecture architecture, WeightInitializer initializer, Random random) =>
        Create(architecture, initializer, BiasInitializer.Zero, random);

    /// <summary>
    /// Creates a network with freshly drawn weights and biases; the same <paramref name="random"/> state gives the same
    /// parameters.
    /// </summary>
    /// <param name="architecture">The shape.</param>
    /// <param name="initializer">How weights are drawn.</param>
    /// <param name="biasInitializer">How biases start (<see cref="BiasInitializer.Zero"/> draws nothing).</param>
    /// <param name="random">
    /// The source of randomness: layer by layer, the weights row-major, then (unless zero) that layer's biases.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">An initializer is not a defined value.</exception>
    public static FeedForwardNetwork<T> Create(NetworkArchitecture architecture, WeightInitializer initializer, BiasInitializer biasInitializer,
        Random random)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(random);
        if (!Enum.IsDefined(initializer)) throw new ArgumentOutOfRangeException(nameof(initializer), initializer, "Unknown initializer.");
        if (!Enum.IsDefined(biasInitializer)) throw new ArgumentOutOfRangeException(nameof(biasInitializer), biasInitializer, "Unknown bias initializer.");
        var network = new FeedForwardNetwork<T>(architecture, new T[architecture.ParameterCount]);
        IReadOnlyList<int> sizes = architecture.LayerSizes;
        for (int l = 0; l < architecture.DenseLayerCount; l++)
        {
            int fanIn = sizes[l], fanOut = sizes[l + 1];
            Span<T> weights = network.parameters.AsSpan(network.denseParameterOffsets[l], fanIn * fanOut);
            if (initializer == WeightInitializer.XavierUniform)
            {
                FillUniform(weights, Math.Sqrt(6.0 / (fanIn + fanOut)), random);
            }
            else
            {
                double deviation = Math.Sqrt(2.0 / fanIn);
                for (int j = 0; j < weights.Length; j++) weights[j] = T.CreateTruncating(deviation * GaussianSampler.Next(random));
            }

            if (biasInitializer == BiasInitializer.UniformFanIn)
            {
                FillUniform(network.parameters.AsSpan(network.denseParameterOffsets[l] + fanIn * fanOut, fanOut), 1.0 / Math.Sqrt(fanIn), random);
            }
        }

        return network;
    }

    /// <summary>Creates a network from a copy of an existing parameter buffer.</summary>
    /// <param name="architecture">The shape.</param>
    /// <param name="parameters">Every parameter in the documented layout; length <c>architecture.ParameterCount</c>.</param>
    public static FeedForwardNetwork<T> FromParameters(NetworkArchitecture architecture, ReadOnlySpan<T> parameters)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (parameters.Length != architecture.ParameterCount)
        {
            throw new ArgumentException(
                $"The architecture {architecture} has {architecture.ParameterCount} parameters; {parameters.Length} were given.",
                nameof(parameters));
        }

        return new FeedForwardNetwork<T>(architecture, parameters.ToArray());
    }

    /// <summary>A copy of this network in another precision (each parameter rounded to the nearest value).</summary>
    /// <typeparam name="TOther">float or double.</typeparam>
    public FeedForwardNetwork<TOther> Convert<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        var converted = new TOther[parameters.Length];
        for (int j = 0; j < parameters.Length; j++) converted[j] = TOther.CreateTruncating(parameters[j]);
        return FeedForwardNetwork<TOther>.FromParameters(Architecture, converted);
    }

    /// <summary>Fills <paramref name="values"/> with draws from <c>U(-limit, limit)</c>.</summary>
    private static void FillUniform(Span<T> values, double limit, Random random)
    {
        for (int j = 0; j < values.Length; j++) values[j] = T.CreateTruncating(limit * (2.0 * random.NextDouble() - 1.0));
    }

    private void CheckDenseLayer(int layer)
    {
        if ((uint)layer >= (uint)Architecture.DenseLayerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer,
                $"The network has {Architecture.DenseLayerCount} dense layers (0 to {Architecture.DenseLayerCount - 1}).");
        }
    }
}
