using MLNetJacobian.Network;

namespace MLNetJacobian.Onnx;

/// <summary>
/// The dense layers of a network as ONNX nodes, shared by every head (the classifier's softmax, the binary and
/// regression one-output heads): <c>a_l = Gemm(h_l, W_l, b_l, transB = 1)</c>, <c>h_{l+1} = s(a_l)</c> for hidden
/// layers, with <c>s</c> Relu, Tanh, Softplus, or GELU as <c>0.5 a (1 + Erf(a / sqrt 2))</c> (opset 13 has no Gelu).
/// </summary>
internal static class OnnxNetworkLayers
{
    private const string Prefix = OnnxClassifierNames.InternalPrefix;

    /// <summary>
    /// Adds the weights, biases and nodes of every dense layer, reading <paramref name="input"/> (<c>[N, D]</c>), and
    /// returns the name of the last layer's linear output <c>[N, C]</c>: <paramref name="outputName"/> when given.
    /// </summary>
    public static string Add(OnnxGraphBuilder graph, NetworkArchitecture architecture, ReadOnlySpan<float> parameters, string input, string? outputName)
    {
        if (architecture.Activation == Activation.Gelu) AddGeluConstants(graph);
        IReadOnlyList<int> sizes = architecture.LayerSizes;
        string hidden = input;
        int offset = 0;
        for (int layer = 0; layer < architecture.DenseLayerCount; layer++)
        {
            int inputs = sizes[layer], outputs = sizes[layer + 1];
            string weight = $"{Prefix}dense{layer}.weight", bias = $"{Prefix}dense{layer}.bias";
            graph.AddFloatInitializer(weight, [outputs, inputs], parameters.Slice(offset, outputs * inputs));
            offset += outputs * inputs;
            graph.AddFloatInitializer(bias, [outputs], parameters.Slice(offset, outputs));
            offset += outputs;

            bool isOutputLayer = layer == architecture.DenseLayerCount - 1;
            string linear = isOutputLayer && outputName is not null ? outputName : $"{Prefix}dense{layer}.output";
            graph.AddNode("Gemm", $"{Prefix}dense{layer}", [hidden, weight, bias], [linear], null,
                OnnxGraphBuilder.IntAttribute("transB", 1));
            hidden = isOutputLayer ? linear : AddActivation(graph, architecture.Activation, linear, layer);
        }

        return hidden;
    }

    private static void AddGeluConstants(OnnxGraphBuilder graph)
    {
        graph.AddFloatInitializer($"{Prefix}gelu.inverse_sqrt2", [], [(float)(1 / Math.Sqrt(2))]);
        graph.AddFloatInitializer($"{Prefix}gelu.one", [], [1f]);
        graph.AddFloatInitializer($"{Prefix}gelu.half", [], [0.5f]);
    }

    /// <summary>Adds <c>h = s(a)</c> and returns the name of <c>h</c>.</summary>
    private static string AddActivation(OnnxGraphBuilder graph, Activation activation, string input, int layer)
    {
        string output = $"{Prefix}activation{layer}.output";
        switch (activation)
        {
            case Activation.Relu:
                graph.AddNode("Relu", $"{Prefix}relu{layer}", [input], [output]);
                break;
            case Activation.Tanh:
                graph.AddNode("Tanh", $"{Prefix}tanh{layer}", [input], [output]);
                break;
            case Activation.Softplus:
                graph.AddNode("Softplus", $"{Prefix}softplus{layer}", [input], [output]);
                break;
            case Activation.Gelu:
                string name = $"{Prefix}gelu{layer}";
                graph.AddNode("Mul", $"{name}.scale", [input, $"{Prefix}gelu.inverse_sqrt2"], [$"{name}.scaled"]);
                graph.AddNode("Erf", $"{name}.erf", [$"{name}.scaled"], [$"{name}.erf"]);
                graph.AddNode("Add", $"{name}.add_one", [$"{name}.erf", $"{Prefix}gelu.one"], [$"{name}.one_plus_erf"]);
                graph.AddNode("Mul", $"{name}.halve", [$"{name}.one_plus_erf", $"{Prefix}gelu.half"], [$"{name}.phi"]);
                graph.AddNode("Mul", $"{name}.times_input", [input, $"{name}.phi"], [output]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }

        return output;
    }
}
