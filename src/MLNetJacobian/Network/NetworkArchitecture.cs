namespace MLNetJacobian.Network;

/// <summary>
/// The shape of a feedforward classifier: <c>D</c> inputs, hidden dense layers with one activation, and <c>C</c>
/// linear outputs (the logits).
/// </summary>
public sealed record NetworkArchitecture
{
    /// <summary>Creates and validates an architecture.</summary>
    /// <param name="inputSize">D, the number of input features (at least 1).</param>
    /// <param name="hiddenLayers">The width of each hidden layer (each at least 1); empty for an affine model.</param>
    /// <param name="outputSize">C, the number of logits (at least 1).</param>
    /// <param name="activation">The activation after every hidden layer.</param>
    public NetworkArchitecture(int inputSize, IReadOnlyList<int> hiddenLayers, int outputSize, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(hiddenLayers);
        if (inputSize < 1) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "The input size must be at least 1.");
        if (outputSize < 1) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "The output size must be at least 1.");
        for (int i = 0; i < hiddenLayers.Count; i++)
        {
            if (hiddenLayers[i] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(hiddenLayers), hiddenLayers[i],
                    $"Hidden layer {i} has width {hiddenLayers[i]}; every hidden layer needs at least 1 unit.");
            }
        }

        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        InputSize = inputSize;
        HiddenLayers = hiddenLayers.ToArray();
        OutputSize = outputSize;
        Activation = activation;
    }

    /// <summary>D, the number of input features.</summary>
    public int InputSize { get; }

    /// <summary>The width of each hidden layer.</summary>
    public IReadOnlyList<int> HiddenLayers { get; }

    /// <summary>C, the number of logits.</summary>
    public int OutputSize { get; }

    /// <summary>The activation after every hidden layer.</summary>
    public Activation Activation { get; }

    /// <summary>All layer widths from input to output: <c>[D, hidden..., C]</c>.</summary>
    public IReadOnlyList<int> LayerSizes => [InputSize, .. HiddenLayers, OutputSize];

    /// <summary>The number of dense (weight) layers: hidden layers plus the output layer.</summary>
    public int DenseLayerCount => HiddenLayers.Count + 1;

    /// <summary>The total number of weights and biases.</summary>
    public int ParameterCount
    {
        get
        {
            IReadOnlyList<int> sizes = LayerSizes;
            int count = 0;
            for (int l = 1; l < sizes.Count; l++) count += sizes[l] * sizes[l - 1] + sizes[l];
            return count;
        }
    }

    /// <summary>Value equality over every field, including the hidden widths.</summary>
    /// <param name="other">The architecture to compare with.</param>
    public bool Equals(NetworkArchitecture? other) =>
        other is not null && InputSize == other.InputSize && OutputSize == other.OutputSize &&
        Activation == other.Activation && HiddenLayers.SequenceEqual(other.HiddenLayers);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(InputSize);
        hash.Add(OutputSize);
        hash.Add(Activation);
        foreach (int width in HiddenLayers) hash.Add(width);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => $"{string.Join("-", LayerSizes)} {Activation}";
}
