namespace MLNetJacobian.Network;

/// <summary>
/// The shape of a feedforward classifier: its input (<c>D</c> features, or an image), a list of layer
/// specifications, and <c>C</c> linear outputs (the logits, a dense layer the architecture adds after the list).
/// </summary>
/// <remarks>
/// <para>
/// Written once, as a list (<see cref="Layers"/>): <see cref="NetworkLayers.Parse"/> reads its text form, and a
/// multilayer perceptron (hidden widths and one activation) maps onto the same list (<c>dense h_1, s, dense h_2, s,
/// ...</c>). The list is checked against the input when the architecture is built: a spatial layer needs an image
/// input, a kernel must fit its (padded) input, a pool must leave at least one pixel.
/// </para>
/// <para>
/// <see cref="HiddenLayers"/>, <see cref="Activation"/>, <see cref="LayerSizes"/> and <see cref="DenseLayerCount"/>
/// describe multilayer perceptrons (<see cref="IsMultilayerPerceptron"/>); on other architectures they throw.
/// </para>
/// </remarks>
public sealed record NetworkArchitecture
{
    private readonly Activation _activation;
    private readonly LayerShape[] _shapes;          // per boundary of Resolved: input first, logits last
    private readonly LayerSpec[] _resolved;         // Layers, then the logit layer
    private readonly WeightLayerSlice[] _weightSlices;

    /// <summary>Creates and validates a multilayer perceptron.</summary>
    /// <param name="inputSize">D, the number of input features (at least 1).</param>
    /// <param name="hiddenLayers">The width of each hidden layer (each at least 1); empty for an affine model.</param>
    /// <param name="outputSize">C, the number of logits (at least 1).</param>
    /// <param name="activation">The activation after every hidden layer.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size below 1 or an undefined activation.</exception>
    public NetworkArchitecture(int inputSize, IReadOnlyList<int> hiddenLayers, int outputSize, Activation activation)
        : this(LayerShape.Flat(RequireInputSize(inputSize)), MultilayerPerceptron(hiddenLayers, activation), outputSize, activation)
    {
    }

    /// <summary>Creates and validates a network on flat input features.</summary>
    /// <param name="inputSize">D, the number of input features (at least 1).</param>
    /// <param name="layers">The layers before the logits (dense, activation and dropout only: no image to convolve).</param>
    /// <param name="outputSize">C, the number of logits (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size below 1.</exception>
    /// <exception cref="ArgumentException">A layer needs an image input.</exception>
    public NetworkArchitecture(int inputSize, IReadOnlyList<LayerSpec> layers, int outputSize)
        : this(LayerShape.Flat(RequireInputSize(inputSize)), layers, outputSize, FirstActivation(layers))
    {
    }

    /// <summary>Creates and validates a network on image inputs.</summary>
    /// <param name="inputShape">The image (channels x height x width, planar).</param>
    /// <param name="layers">The layers before the logits.</param>
    /// <param name="outputSize">C, the number of logits (at least 1).</param>
    /// <exception cref="ArgumentNullException">A null argument or layer.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputSize"/> below 1.</exception>
    /// <exception cref="ArgumentException">A layer does not fit its input; the message names the layer and both shapes.</exception>
    public NetworkArchitecture(ImageShape inputShape, IReadOnlyList<LayerSpec> layers, int outputSize)
        : this(LayerShape.Of(inputShape ?? throw new ArgumentNullException(nameof(inputShape))), layers, outputSize, FirstActivation(layers))
    {
    }

    private NetworkArchitecture(LayerShape input, IReadOnlyList<LayerSpec> layers, int outputSize, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (outputSize < 1) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "The output size must be at least 1.");
        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        _activation = activation;
        Layers = layers.ToArray();
        _resolved = [.. Layers, new DenseLayerSpec(outputSize)];
        _shapes = new LayerShape[_resolved.Length + 1];
        _shapes[0] = input;
        for (int k = 0; k < _resolved.Length; k++)
        {
            LayerSpec spec = _resolved[k] ?? throw new ArgumentNullException(nameof(layers), $"Layer {k + 1} of the list is null.");
            LayerShape before = _shapes[k];
            string where = k < Layers.Count ? $"Layer {k + 1} ('{spec}')" : $"The logit layer ('{spec}')";
            if (spec.NeedsImage && before.Image is null)
            {
                throw new ArgumentException(
                    $"{where} needs an image input, but its input is a flat {before}" +
                    (k == 0 ? "; give the input's image shape (channels x height x width)." : " (after a dense layer)."), nameof(layers));
            }

            try
            {
                _shapes[k + 1] = spec.OutputShape(before);
            }
            catch (ArgumentException error)
            {
                throw new ArgumentException($"{where} does not fit its input {before}: {error.Message.Split(" (Parameter")[0]}", nameof(layers), error);
            }

            if ((long)spec.WeightCount(before) + spec.BiasCount(before) + _shapes[k + 1].Width > int.MaxValue / 2)
            {
                throw new ArgumentException($"{where} on its input {before} has too many weights.", nameof(layers));
            }
        }

        var slices = new List<WeightLayerSlice>();
        int offset = 0;
        for (int k = 0; k < _resolved.Length; k++)
        {
            int weights = _resolved[k].WeightCount(_shapes[k]), biases = _resolved[k].BiasCount(_shapes[k]);
            if (HasWeights(_resolved[k]))
            {
                (int fanIn, int fanOut) = _resolved[k].Fans(_shapes[k]);
                slices.Add(new WeightLayerSlice(k, offset, weights, biases, fanIn, fanOut));
            }

            offset += weights + biases;
        }

        _weightSlices = slices.ToArray();
        ParameterCount = offset;
        InputSize = input.Width;
        InputShape = input.Image;
        OutputSize = outputSize;
        IsMultilayerPerceptron = IsPerceptronList(Layers);
    }

    /// <summary>D, the number of input features.</summary>
    public int InputSize { get; }

    /// <summary>The input image (planar), or null for flat features.</summary>
    public ImageShape? InputShape { get; }

    /// <summary>The layers before the logits, in order.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>C, the number of logits.</summary>
    public int OutputSize { get; }

    /// <summary>
    /// Whether the list is that of a multilayer perceptron: dense layers each followed by the same activation, nothing
    /// else (then <see cref="HiddenLayers"/> and <see cref="Activation"/> describe it).
    /// </summary>
    public bool IsMultilayerPerceptron { get; }

    /// <summary>The width of each hidden layer of a multilayer perceptron.</summary>
    /// <exception cref="InvalidOperationException">The architecture is not a multilayer perceptron.</exception>
    public IReadOnlyList<int> HiddenLayers
    {
        get
        {
            RequirePerceptron(nameof(HiddenLayers));
            return Layers.OfType<DenseLayerSpec>().Select(dense => dense.Units).ToArray();
        }
    }

    /// <summary>The activation after every hidden layer of a multilayer perceptron.</summary>
    /// <exception cref="InvalidOperationException">The architecture is not a multilayer perceptron.</exception>
    public Activation Activation
    {
        get
        {
            RequirePerceptron(nameof(Activation));
            return _activation;
        }
    }

    /// <summary>All layer widths of a multilayer perceptron from input to output: <c>[D, hidden..., C]</c>.</summary>
    /// <exception cref="InvalidOperationException">The architecture is not a multilayer perceptron.</exception>
    public IReadOnlyList<int> LayerSizes => [InputSize, .. HiddenLayers, OutputSize];

    /// <summary>The number of dense layers of a multilayer perceptron: hidden layers plus the output layer.</summary>
    /// <exception cref="InvalidOperationException">The architecture is not a multilayer perceptron.</exception>
    public int DenseLayerCount => HiddenLayers.Count + 1;

    /// <summary>The number of layers with weights (convolutions and dense layers, the logit layer included).</summary>
    public int WeightLayerCount => _weightSlices.Length;

    /// <summary>The total number of weights and biases.</summary>
    public int ParameterCount { get; }

    /// <summary>Where each weight layer's parameters sit in the parameter buffer (weights, then biases), in order.</summary>
    internal IReadOnlyList<WeightLayerSlice> WeightLayers => _weightSlices;

    /// <summary>Every layer with its input and output shape: <see cref="Layers"/>, then the logit layer.</summary>
    internal IReadOnlyList<(LayerSpec Spec, LayerShape Input, LayerShape Output)> ResolvedLayers =>
        _resolved.Select((spec, k) => (spec, _shapes[k], _shapes[k + 1])).ToArray();

    /// <summary>Value equality over the input, every layer and the output size.</summary>
    /// <param name="other">The architecture to compare with.</param>
    public bool Equals(NetworkArchitecture? other) =>
        other is not null && InputSize == other.InputSize && Equals(InputShape, other.InputShape) && OutputSize == other.OutputSize &&
        _activation == other._activation && Layers.SequenceEqual(other.Layers);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(InputSize);
        hash.Add(InputShape);
        hash.Add(OutputSize);
        foreach (LayerSpec layer in Layers) hash.Add(layer);
        return hash.ToHashCode();
    }

    /// <summary>
    /// <c>784-256-256-10 Relu</c> for a multilayer perceptron; otherwise the input, the layer list and the logits,
    /// for example <c>1x28x28: conv 6 5 pad 2, tanh, maxpool 2, dense 84, tanh -> 10</c>.
    /// </summary>
    public override string ToString() =>
        IsMultilayerPerceptron
            ? $"{string.Join("-", LayerSizes)} {Activation}"
            : $"{(InputShape?.ToString() ?? InputSize.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {NetworkLayers.Format(Layers)} -> {OutputSize}";

    /// <summary>
    /// An architecture as a saved model records it; <paramref name="activation"/> (a multilayer perceptron's, which
    /// names it even without hidden layers) defaults to the list's first activation.
    /// </summary>
    internal static NetworkArchitecture FromRecord(LayerShape input, IReadOnlyList<LayerSpec> layers, int outputSize, Activation? activation) =>
        new(input, layers, outputSize, activation ?? FirstActivation(layers));

    /// <summary>The slice of weight layer <paramref name="layer"/>; throws when there is no such layer.</summary>
    internal WeightLayerSlice WeightLayer(int layer)
    {
        if ((uint)layer >= (uint)_weightSlices.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer,
                $"The network has {_weightSlices.Length} weight layers (0 to {_weightSlices.Length - 1}).");
        }

        return _weightSlices[layer];
    }

    internal static bool HasWeights(LayerSpec spec) => spec is DenseLayerSpec or ConvLayerSpec;

    private void RequirePerceptron(string property)
    {
        if (!IsMultilayerPerceptron)
        {
            throw new InvalidOperationException(
                $"{property} describes multilayer perceptrons; the architecture {this} is not one (read Layers instead).");
        }
    }

    private static bool IsPerceptronList(IReadOnlyList<LayerSpec> layers)
    {
        if (layers.Count % 2 != 0) return false;
        for (int k = 0; k < layers.Count; k += 2)
        {
            if (layers[k] is not DenseLayerSpec || layers[k + 1] is not ActivationLayerSpec current) return false;
            if (current.Activation != ((ActivationLayerSpec)layers[1]).Activation) return false;
        }

        return true;
    }

    private static int RequireInputSize(int inputSize) =>
        inputSize >= 1 ? inputSize : throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "The input size must be at least 1.");

    private static Activation FirstActivation(IReadOnlyList<LayerSpec> layers) =>
        layers?.OfType<ActivationLayerSpec>().Select(spec => spec.Activation).DefaultIfEmpty(Activation.Relu).First() ?? Activation.Relu;

    private static LayerSpec[] MultilayerPerceptron(IReadOnlyList<int> hiddenLayers, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(hiddenLayers);
        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        var layers = new List<LayerSpec>();
        for (int i = 0; i < hiddenLayers.Count; i++)
        {
            if (hiddenLayers[i] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(hiddenLayers), hiddenLayers[i],
                    $"Hidden layer {i} has width {hiddenLayers[i]}; every hidden layer needs at least 1 unit.");
            }

            layers.Add(new DenseLayerSpec(hiddenLayers[i]));
            layers.Add(new ActivationLayerSpec(activation));
        }

        return layers.ToArray();
    }
}
