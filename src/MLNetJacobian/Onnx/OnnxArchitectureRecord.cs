using System.Globalization;
using MLNetJacobian.Network;

namespace MLNetJacobian.Onnx;

/// <summary>
/// The architecture as the saved model records it, in the ONNX model's <c>metadata_props</c>: the input
/// (<c>MLNetJacobian.input</c>: <c>1x28x28</c> or <c>784</c>), the layer list in its text form
/// (<c>MLNetJacobian.layers</c>, see <see cref="NetworkLayers"/>), the number of outputs (<c>MLNetJacobian.outputs</c>)
/// and the activation of a multilayer perceptron (<c>MLNetJacobian.activation</c>, which names it even without hidden
/// layers). A reader takes the architecture from here, never from the graph's shape.
/// </summary>
internal static class OnnxArchitectureRecord
{
    public const string InputKey = "MLNetJacobian.input";
    public const string LayersKey = "MLNetJacobian.layers";
    public const string OutputsKey = "MLNetJacobian.outputs";
    public const string ActivationKey = "MLNetJacobian.activation";

    /// <summary>The metadata entries of <paramref name="architecture"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Write(NetworkArchitecture architecture)
    {
        var entries = new List<KeyValuePair<string, string>>
        {
            new(InputKey, architecture.InputShape?.ToString() ?? architecture.InputSize.ToString(CultureInfo.InvariantCulture)),
            new(LayersKey, NetworkLayers.Format(architecture.Layers)),
            new(OutputsKey, architecture.OutputSize.ToString(CultureInfo.InvariantCulture)),
        };
        if (architecture.IsMultilayerPerceptron) entries.Add(new(ActivationKey, ActivationLayerSpec.Word(architecture.Activation)));
        return entries;
    }

    /// <summary>
    /// The recorded architecture, or null when the model carries no record (a model written before the record existed).
    /// Throws <see cref="InvalidDataException"/> when a record is present but does not describe a valid network.
    /// </summary>
    public static NetworkArchitecture? TryRead(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(LayersKey, out string? layersText)) return null;
        try
        {
            string inputText = metadata.GetValueOrDefault(InputKey) ?? throw new InvalidDataException($"the metadata has '{LayersKey}' but no '{InputKey}'.");
            string outputsText = metadata.GetValueOrDefault(OutputsKey) ?? throw new InvalidDataException($"the metadata has '{LayersKey}' but no '{OutputsKey}'.");
            if (!int.TryParse(outputsText, NumberStyles.None, CultureInfo.InvariantCulture, out int outputs))
            {
                throw new InvalidDataException($"the recorded number of outputs '{outputsText}' is not an integer.");
            }

            IReadOnlyList<LayerSpec> layers = NetworkLayers.Parse(layersText);
            Activation? activation = null;
            if (metadata.TryGetValue(ActivationKey, out string? word))
            {
                activation = new ActivationLayerSpec(Enum.GetValues<Activation>().FirstOrDefault(a => ActivationLayerSpec.Word(a) == word, (Activation)(-1))).Activation;
            }

            LayerShape input = inputText.Contains('x', StringComparison.OrdinalIgnoreCase)
                ? LayerShape.Of(ImageShape.Parse(inputText))
                : LayerShape.Flat(int.TryParse(inputText, NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size >= 1
                    ? size
                    : throw new InvalidDataException($"the recorded input '{inputText}' is neither a feature count nor an image shape."));
            return NetworkArchitecture.FromRecord(input, layers, outputs, activation);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            throw new InvalidDataException($"the recorded architecture does not describe a network: {exception.Message}", exception);
        }
    }
}
