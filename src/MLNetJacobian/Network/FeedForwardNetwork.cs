using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>
/// A feedforward classifier built from its <see cref="NetworkArchitecture"/>'s layer list (convolutions, pooling,
/// dense layers, activations, dropout) and linear logits, its parameters in one contiguous buffer.
/// </summary>
/// <remarks>
/// <para>
/// For a multilayer perceptron <c>h_0 = x</c>, <c>a_l = W_l h_(l-1) + b_l</c>, <c>h_l = s(a_l)</c> for <c>l &lt; L</c>,
/// logits <c>z = a_L</c>: the layer sequence is dense, activation, ..., dense (<see cref="Layers"/>). In general
/// <see cref="Layers"/> holds one engine layer per specification of <see cref="NetworkArchitecture.Layers"/>, then
/// the dense logit layer.
/// </para>
/// <para>
/// Parameter layout (fixed, relied on by optimizers, persistence and ONNX export): for each weight layer
/// <c>l = 0 .. WeightLayerCount-1</c> (convolutions and dense layers in order), its weights row-major (dense
/// <c>W_l: [out, in]</c>, convolution <c>[out, in, kh, kw]</c>), then its biases <c>b_l: [out]</c>.
/// </para>
/// <para>The network holds no per-batch state; evaluators and objectives own their buffers.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class FeedForwardNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _parameters;
    private readonly ILayer<T>[] _layers;
    private readonly int[] _layerParameterOffsets;    // per entry of layers

    private FeedForwardNetwork(NetworkArchitecture architecture, T[] parameters)
    {
        GenericGemm.EnsureSupported<T>();
        Architecture = architecture;
        _parameters = parameters;
        var resolved = architecture.ResolvedLayers;
        _layers = new ILayer<T>[resolved.Count];
        _layerParameterOffsets = new int[_layers.Length];
        int offset = 0;
        for (int k = 0; k < resolved.Count; k++)
        {
            (LayerSpec spec, LayerShape input, _) = resolved[k];
            _layers[k] = spec.CreateLayer<T>(input);
            _layerParameterOffsets[k] = offset;
            offset += _layers[k].ParameterCount;
        }
    }

    /// <summary>The shape of the network.</summary>
    public NetworkArchitecture Architecture { get; }

    /// <summary>The number of weights and biases.</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>Every parameter, in the layout described in the remarks; writable (optimizers update it in place).</summary>
    public Span<T> Parameters => _parameters;

    /// <summary>The engine's layers: one per specification of the architecture's list, then the dense logit layer.</summary>
    internal IReadOnlyList<ILayer<T>> Layers => _layers;

    /// <summary>D, the number of inputs.</summary>
    public int InputSize => Architecture.InputSize;

    /// <summary>C, the number of logits.</summary>
    public int OutputSize => Architecture.OutputSize;

    /// <summary>The offset of a layer's slice in <see cref="Parameters"/> (and in a gradient buffer).</summary>
    /// <param name="layerIndex">Index into <see cref="Layers"/>.</param>
    public int GetLayerParameterOffset(int layerIndex)
    {
        if ((uint)layerIndex >= (uint)_layers.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(layerIndex), layerIndex, $"The network has {_layers.Length} layers.");
        }

        return _layerParameterOffsets[layerIndex];
    }

    /// <summary>
    /// The weights of weight layer <paramref name="layer"/> (convolutions and dense layers in order), row-major: dense
    /// <c>W [out, in]</c> with <c>a = W h + b</c>, convolution <c>[out, in, kh, kw]</c>.
    /// </summary>
    /// <param name="layer">0 = the first weight layer, <c>WeightLayerCount - 1</c> = the logits.</param>
    /// <exception cref="ArgumentOutOfRangeException">No such layer.</exception>
    public ReadOnlySpan<T> GetWeights(int layer)
    {
        WeightLayerSlice slice = Architecture.WeightLayer(layer);
        return _parameters.AsSpan(slice.Offset, slice.WeightCount);
    }

    /// <summary>The biases of weight layer <paramref name="layer"/>: <c>b [out]</c>.</summary>
    /// <param name="layer">0 = the first weight layer, <c>WeightLayerCount - 1</c> = the logits.</param>
    /// <exception cref="ArgumentOutOfRangeException">No such layer.</exception>
    public ReadOnlySpan<T> GetBiases(int layer)
    {
        WeightLayerSlice slice = Architecture.WeightLayer(layer);
        return _parameters.AsSpan(slice.Offset + slice.WeightCount, slice.BiasCount);
    }

    /// <summary>Creates a network with freshly drawn weights and zero biases; the same <paramref name="random"/> state gives the same weights.</summary>
    /// <param name="architecture">The shape.</param>
    /// <param name="initializer">How weights are drawn.</param>
    /// <param name="random">The source of randomness (weights are drawn layer by layer, row-major; a convolution's fans are <c>in kh kw</c> and <c>out kh kw</c>).</param>
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
    /// The source of randomness: layer by layer, the weights row-major, then (unless zero) that layer's biases; a
    /// convolution's fans are <c>in kh kw</c> and <c>out kh kw</c>.
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
        foreach (WeightLayerSlice slice in architecture.WeightLayers)
        {
            (int fanIn, int fanOut) = (slice.FanIn, slice.FanOut);
            Span<T> weights = network._parameters.AsSpan(slice.Offset, slice.WeightCount);
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
                FillUniform(network._parameters.AsSpan(slice.Offset + slice.WeightCount, slice.BiasCount), 1.0 / Math.Sqrt(fanIn), random);
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
        var converted = new TOther[_parameters.Length];
        for (int j = 0; j < _parameters.Length; j++) converted[j] = TOther.CreateTruncating(_parameters[j]);
        return FeedForwardNetwork<TOther>.FromParameters(Architecture, converted);
    }

    /// <summary>Fills <paramref name="values"/> with draws from <c>U(-limit, limit)</c>.</summary>
    private static void FillUniform(Span<T> values, double limit, Random random)
    {
        for (int j = 0; j < values.Length; j++) values[j] = T.CreateTruncating(limit * (2.0 * random.NextDouble() - 1.0));
    }
}
