using MLNetJacobian.Network;
using static MLNetJacobian.Onnx.OnnxFieldNumbers;

namespace MLNetJacobian.Onnx;

/// <summary>
/// Reads back the network, class names and input/output names of an ONNX model written by
/// <see cref="OnnxClassifierWriter"/> (batched or one-row layout), parsing the protobuf with Google.Protobuf's
/// <c>CodedInputStream</c>. Any other graph is rejected.
/// </summary>
/// <remarks>
/// <para>Recognized graph: dense layers <c>l = 0..L-1</c> are Gemm nodes named <c>MLNetJacobian/dense{l}</c>
/// (<c>transB = 1</c>) over initializers <c>MLNetJacobian/dense{l}.weight</c> <c>[out, in]</c> and
/// <c>.bias</c> <c>[out]</c> (float_data or raw_data), chained with <c>in_l = out_{l-1}</c>; the hidden activation
/// is told by the op types (Relu, Tanh, Softplus, or Erf for GELU), one group per hidden layer; the class names are
/// the string initializer <c>MLNetJacobian/class_names</c>, one per output. Only the op types the writer emits may
/// appear. A network without hidden layers shows no activation node; its activation (which does not change the
/// function) is taken from the writer's GELU constants or doc_string, else Relu.</para>
/// <para>A model that records its architecture in its metadata (see <see cref="OnnxArchitectureRecord"/>; every model
/// written since convolutions exist) is read from that record: convolutional networks only this way. The pattern
/// described above is kept for models written before.</para>
/// <para>The parameters come out in the network's layout: for each dense layer <c>W_l</c> row-major
/// <c>[out, in]</c>, then <c>b_l</c>, exactly the floats stored in the initializers.</para>
/// </remarks>
internal static class OnnxClassifierReader
{
    private const string Prefix = OnnxClassifierNames.InternalPrefix;

    private static readonly HashSet<string> WrittenOpTypes = new(StringComparer.Ordinal)
    {
        "Unsqueeze", "Gemm", "Relu", "Tanh", "Softplus", "Mul", "Erf", "Add", "Reshape", "Softmax", "ArgMax", "Gather", "LabelEncoder",
        "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten",
    };

    /// <summary>Reads a model from its serialized bytes.</summary>
    /// <param name="model">A serialized ONNX <c>ModelProto</c>.</param>
    /// <exception cref="InvalidDataException">The bytes are not a classifier written by <see cref="OnnxClassifierWriter"/>.</exception>
    /// <exception cref="DamagedModelException">The graph is the writer's, but its network no longer matches the digest stored with it.</exception>
    public static OnnxClassifierModel Read(ReadOnlySpan<byte> model) =>
        TryRead(model, out OnnxClassifierModel? classifier, out string reason)
            ? classifier!
            : throw new InvalidDataException($"The ONNX model is not a classifier written by MLNetJacobian's OnnxClassifierWriter: {reason}");

    /// <summary>Reads a model from a stream, to its end.</summary>
    /// <param name="source">A readable stream positioned at the model; it is left open.</param>
    /// <exception cref="InvalidDataException">The bytes are not a classifier written by <see cref="OnnxClassifierWriter"/>.</exception>
    /// <exception cref="DamagedModelException">The graph is the writer's, but its network no longer matches the digest stored with it.</exception>
    public static OnnxClassifierModel Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var buffer = new MemoryStream();
        source.CopyTo(buffer);
        return Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Reads a model, or says why the bytes are not one written by <see cref="OnnxClassifierWriter"/>.</summary>
    /// <param name="model">A serialized ONNX <c>ModelProto</c>.</param>
    /// <param name="classifier">The classifier when the method returns true.</param>
    /// <param name="reason">Why the graph was rejected when the method returns false, else empty.</param>
    /// <exception cref="DamagedModelException">
    /// The graph is the writer's, but its network no longer matches the digest stored with it: a damaged model is an
    /// error, never mistaken for a foreign graph.
    /// </exception>
    public static bool TryRead(ReadOnlySpan<byte> model, out OnnxClassifierModel? classifier, out string reason)
    {
        classifier = null;
        OnnxGraphContent graph;
        try
        {
            graph = OnnxGraphContent.Parse(model);
        }
        catch (InvalidDataException exception)
        {
            reason = exception.Message;
            return false;
        }

        try
        {
            classifier = Build(graph);
            reason = "";
            return true;
        }
        catch (InvalidDataException exception)
        {
            reason = exception.Message;
            return false;
        }
    }

    private static OnnxClassifierModel Build(OnnxGraphContent graph)
    {
        foreach (OnnxGraphContent.Node node in graph.Nodes)
        {
            if (!WrittenOpTypes.Contains(node.OpType)) throw new InvalidDataException($"node '{node.Name}' has op type '{node.OpType}', which the writer never emits.");
        }

        if (graph.InputNames.Count != 1) throw new InvalidDataException($"the graph has {graph.InputNames.Count} inputs; the writer's has one.");

        var nodesByName = new Dictionary<string, OnnxGraphContent.Node>(StringComparer.Ordinal);
        foreach (OnnxGraphContent.Node node in graph.Nodes) nodesByName.TryAdd(node.Name, node);
        if (OnnxArchitectureRecord.TryRead(graph.Metadata) is { } recorded) return BuildFromRecord(graph, nodesByName, recorded);

        List<int> sizes = [];
        List<float> parameters = [];
        OnnxGraphContent.Node? lastDense = null;
        for (int layer = 0; nodesByName.TryGetValue($"{Prefix}dense{layer}", out OnnxGraphContent.Node? dense); layer++)
        {
            if (dense.OpType != "Gemm" || dense.Inputs.Count != 3 || !dense.IntAttributes.TryGetValue("transB", out long transB) || transB != 1)
            {
                throw new InvalidDataException($"node '{dense.Name}' is not a Gemm with transB = 1 over an input, a weight and a bias.");
            }

            OnnxGraphContent.Tensor weight = FloatInitializer(graph, dense.Inputs[1], $"{Prefix}dense{layer}.weight", 2);
            OnnxGraphContent.Tensor bias = FloatInitializer(graph, dense.Inputs[2], $"{Prefix}dense{layer}.bias", 1);
            int outputs = checked((int)weight.Dims[0]), inputs = checked((int)weight.Dims[1]);
            if (outputs < 1 || inputs < 1 || bias.Dims[0] != outputs)
            {
                throw new InvalidDataException($"dense layer {layer} has weight dims [{string.Join(", ", weight.Dims)}] and bias dims [{string.Join(", ", bias.Dims)}].");
            }

            if (layer == 0) sizes.Add(inputs);
            else if (sizes[^1] != inputs) throw new InvalidDataException($"dense layer {layer} takes {inputs} inputs, but layer {layer - 1} gives {sizes[^1]}.");
            sizes.Add(outputs);
            parameters.AddRange(weight.Floats);
            parameters.AddRange(bias.Floats);
            lastDense = dense;
        }

        if (lastDense is null) throw new InvalidDataException($"the graph has no dense layer (a Gemm node named '{Prefix}dense0').");
        int denseLayers = sizes.Count - 1;
        Activation activation = ReadActivation(graph, denseLayers - 1);

        if (!graph.Initializers.TryGetValue($"{Prefix}class_names", out OnnxGraphContent.Tensor? classNames) || classNames.DataType != DataTypeString)
        {
            throw new InvalidDataException($"the graph has no string initializer '{Prefix}class_names'.");
        }

        var architecture = new NetworkArchitecture(sizes[0], sizes.GetRange(1, denseLayers - 1), sizes[^1], activation);
        return Finish(graph, architecture, parameters.ToArray(), classNames.Strings.ToArray(), lastDense);
    }

    /// <summary>Validates the network read, checks the stored digest, and returns the model.</summary>
    private static OnnxClassifierModel Finish(OnnxGraphContent graph, NetworkArchitecture architecture, float[] values, string[] names,
        OnnxGraphContent.Node lastDense)
    {
        try
        {
            OnnxClassifierWriter.ValidateClassifier(architecture, values, names);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException(exception.Message, exception);
        }

        string classValueType = graph.Metadata.GetValueOrDefault(OnnxNetworkDigest.ClassValueTypeKey, OnnxClassifierWriter.DefaultClassValueType);
        if (graph.Metadata.TryGetValue(OnnxNetworkDigest.DigestKey, out string? stored))
        {
            string actual = OnnxNetworkDigest.Compute(architecture, values, names, classValueType);
            if (!string.Equals(stored, actual, StringComparison.OrdinalIgnoreCase))
            {
                throw new DamagedModelException(
                    $"The network {architecture} does not match the SHA-256 digest stored with it ({stored[..Math.Min(12, stored.Length)]}... stored, " +
                    $"{actual[..12]}... computed): the model was damaged or edited after it was written. Restore it from a good copy or retrain it.");
            }
        }

        return new OnnxClassifierModel(architecture, values, names, ReadNames(graph, lastDense)) { ClassValueType = classValueType };
    }

    /// <summary>
    /// The network of a model that records its architecture: the parameters of weight layer <c>l</c> come from the
    /// initializers of node <c>dense{l}</c> or <c>conv{l}</c>, whose sizes must be those the record implies.
    /// </summary>
    private static OnnxClassifierModel BuildFromRecord(OnnxGraphContent graph, Dictionary<string, OnnxGraphContent.Node> nodesByName,
        NetworkArchitecture architecture)
    {
        (float[] parameters, OnnxGraphContent.Node lastDense) = ReadRecordedParameters(graph, nodesByName, architecture);
        if (!graph.Initializers.TryGetValue($"{Prefix}class_names", out OnnxGraphContent.Tensor? classNames) || classNames.DataType != DataTypeString)
        {
            throw new InvalidDataException($"the graph has no string initializer '{Prefix}class_names'.");
        }

        return Finish(graph, architecture, parameters, classNames.Strings.ToArray(), lastDense);
    }

    /// <summary>
    /// The parameters of a network whose architecture the graph records: those of weight layer <c>l</c> from the
    /// initializers of node <c>dense{l}</c> or <c>conv{l}</c>, whose sizes must be those the record implies; and the last dense node.
    /// </summary>
    internal static (float[] Parameters, OnnxGraphContent.Node LastDense) ReadRecordedParameters(OnnxGraphContent graph,
        Dictionary<string, OnnxGraphContent.Node> nodesByName, NetworkArchitecture architecture)
    {
        var parameters = new List<float>(architecture.ParameterCount);
        OnnxGraphContent.Node? lastDense = null;
        for (int l = 0; l < architecture.WeightLayerCount; l++)
        {
            WeightLayerSlice slice = architecture.WeightLayer(l);
            bool isConv = architecture.ResolvedLayers[slice.LayerIndex].Spec is ConvLayerSpec;
            string name = $"{Prefix}{(isConv ? "conv" : "dense")}{l}";
            if (!nodesByName.TryGetValue(name, out OnnxGraphContent.Node? node) || node.OpType != (isConv ? "Conv" : "Gemm") || node.Inputs.Count != 3)
            {
                throw new InvalidDataException($"the recorded architecture {architecture} needs a {(isConv ? "Conv" : "Gemm")} node '{name}' over an input, a weight and a bias.");
            }

            OnnxGraphContent.Tensor weight = FloatInitializer(graph, node.Inputs[1], $"{name}.weight", isConv ? 4 : 2);
            OnnxGraphContent.Tensor bias = FloatInitializer(graph, node.Inputs[2], $"{name}.bias", 1);
            if (weight.Floats.Count != slice.WeightCount || bias.Floats.Count != slice.BiasCount)
            {
                throw new InvalidDataException(
                    $"weight layer {l} holds {weight.Floats.Count} weights and {bias.Floats.Count} biases; the recorded architecture {architecture} needs {slice.WeightCount} and {slice.BiasCount}.");
            }

            parameters.AddRange(weight.Floats);
            parameters.AddRange(bias.Floats);
            if (!isConv) lastDense = node;
        }

        return (parameters.ToArray(), lastDense ?? throw new InvalidDataException($"the recorded architecture {architecture} has no dense layer."));
    }

    private static OnnxGraphContent.Tensor FloatInitializer(OnnxGraphContent graph, string name, string expectedName, int rank)
    {
        if (name != expectedName || !graph.Initializers.TryGetValue(name, out OnnxGraphContent.Tensor? tensor))
        {
            throw new InvalidDataException($"expected the initializer '{expectedName}', found the value '{name}'.");
        }

        long count = 1;
        foreach (long dim in tensor.Dims) count *= dim;
        if (tensor.DataType != DataTypeFloat || tensor.Dims.Count != rank || tensor.Floats.Count != count)
        {
            throw new InvalidDataException(
                $"initializer '{name}' has element type {tensor.DataType}, dims [{string.Join(", ", tensor.Dims)}] and {tensor.Floats.Count} floats; expected a float tensor of rank {rank}.");
        }

        return tensor;
    }

    /// <summary>The hidden activation, told by the op types: one Relu, Tanh or Softplus node, or one Erf (GELU), per hidden layer.</summary>
    private static Activation ReadActivation(OnnxGraphContent graph, int hiddenLayers)
    {
        (string OpType, Activation Activation)[] kinds = [("Relu", Activation.Relu), ("Tanh", Activation.Tanh), ("Softplus", Activation.Softplus), ("Erf", Activation.Gelu)];
        Activation? found = null;
        foreach ((string opType, Activation activation) in kinds)
        {
            int count = graph.Nodes.Count(node => node.OpType == opType);
            if (count == 0) continue;
            if (found is not null) throw new InvalidDataException($"the graph mixes activations ({found} and {activation}).");
            if (count != hiddenLayers) throw new InvalidDataException($"the graph has {count} {opType} nodes for {hiddenLayers} hidden layers.");
            found = activation;
        }

        if (found is not null) return found.Value;
        if (hiddenLayers > 0) throw new InvalidDataException($"the graph has {hiddenLayers} hidden layers but no activation node.");
        return LinearNetworkActivation(graph);
    }

    /// <summary>
    /// The activation of a network without hidden layers, which no node shows: GELU when the writer's GELU constants
    /// are present, else the activation named in the writer's doc_string (<c>... classifier 4-3 Tanh, ...</c>), else Relu.
    /// It does not change what the network computes.
    /// </summary>
    private static Activation LinearNetworkActivation(OnnxGraphContent graph)
    {
        if (graph.Initializers.ContainsKey($"{Prefix}gelu.one")) return Activation.Gelu;
        foreach (string word in graph.DocString.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            if (Enum.TryParse(word, ignoreCase: false, out Activation named) && Enum.IsDefined(named) && !char.IsDigit(word[0])) return named;
        }

        return Activation.Relu;
    }

    /// <summary>The input name and the Score, PredictedLabel and Logits outputs (after the one-row Reshape nodes, when present).</summary>
    private static OnnxClassifierNames ReadNames(OnnxGraphContent graph, OnnxGraphContent.Node lastDense)
    {
        OnnxGraphContent.Node softmax = Single(graph, "Softmax"), gather = Single(graph, "Gather");
        return new OnnxClassifierNames
        {
            InputName = graph.InputNames[0],
            ScoreName = AfterReshape(graph, softmax.Outputs[0]),
            PredictedLabelName = gather.Outputs[0],
            LogitsName = AfterReshape(graph, lastDense.Outputs[0]),
        };
    }

    private static OnnxGraphContent.Node Single(OnnxGraphContent graph, string opType)
    {
        List<OnnxGraphContent.Node> nodes = graph.Nodes.Where(node => node.OpType == opType).ToList();
        if (nodes.Count != 1 || nodes[0].Outputs.Count != 1) throw new InvalidDataException($"the graph has {nodes.Count} {opType} nodes; the writer's has one.");
        return nodes[0];
    }

    private static string AfterReshape(OnnxGraphContent graph, string value)
    {
        OnnxGraphContent.Node? reshape = graph.Nodes.FirstOrDefault(node => node.OpType == "Reshape" && node.Inputs.Count > 0 && node.Inputs[0] == value);
        string name = reshape is null ? value : reshape.Outputs[0];
        if (!graph.OutputNames.Contains(name)) throw new InvalidDataException($"the value '{name}' is not a graph output.");
        return name;
    }
}
