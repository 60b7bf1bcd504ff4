using MLNetJacobian.Network;
using static MLNetJacobian.Onnx.OnnxFieldNumbers;

namespace MLNetJacobian.Onnx;

/// <summary>
/// Writes a feedforward classifier as an ONNX model (opset 13, plus ONNX-ML opset 2 for the class-name table) that
/// ONNX Runtime and ML.NET's <c>ApplyOnnxModel</c> load.
/// </summary>
/// <remarks>
/// <para>The graph, with <c>N</c> a symbolic batch size, <c>D</c> inputs, <c>C</c> classes and dense layers
/// <c>l = 0..L-1</c>:</para>
/// <code>
/// h_0 = x                                   // x: [N, D] float, named InputName
/// a_l = Gemm(h_l, W_l, b_l, transB = 1)     // a_l = h_l W_l^T + b_l; W_l: [out, in], b_l: [out]
/// h_{l+1} = s(a_l) for hidden layers        // s: Relu, Tanh, Softplus, or GELU as 0.5 a (1 + Erf(a / sqrt 2))
/// Logits = a_{L-1}                          // [N, C]
/// Score = Softmax(Logits, axis = 1)         // [N, C]
/// PredictedLabel = Gather(classNames, ArgMax(Logits, axis = 1, keepdims = 0))   // [N] string
/// </code>
/// <para>A LabelEncoder node named <c>mlnet.{ScoreName}.SlotNames</c> carries the class names in its
/// <c>keys_strings</c> attribute: ML.NET's ONNX transformer reads it and gives the Score column its SlotNames.
/// Its output is not used by the graph.</para>
/// <para>Inside ML.NET pipelines the library writes the same graph for one row per run (input <c>[D]</c>, Score and
/// Logits <c>[C]</c>, PredictedLabel <c>[1]</c>), so that ML.NET types Score as <c>Vector&lt;Single, C&gt;</c>.</para>
/// <para>The parameter layout is the network's single buffer: for each dense layer, <c>W</c> row-major
/// <c>[out, in]</c>, then <c>b</c> <c>[out]</c>.</para>
/// <para>Convolutional networks: the flat input is reshaped to <c>[N, C, H, W]</c> (planar, as the network reads
/// it), then Conv (weights <c>[out, in, kh, kw]</c>, pads, strides), MaxPool, AveragePool and GlobalAveragePool nodes
/// follow the layer list, a Flatten precedes the first dense layer, and dropout adds no node (the identity at
/// inference). The model's metadata records the architecture explicitly (input shape, layer list, outputs; see
/// <see cref="OnnxArchitectureRecord"/>), so a reader never recovers it from the graph's shape.</para>
/// </remarks>
internal static class OnnxClassifierWriter
{
    /// <summary>The default-domain opset the graph uses.</summary>
    public const int OpsetVersion = 13;

    /// <summary>The ONNX-ML opset the graph uses (LabelEncoder with string keys).</summary>
    public const int MachineLearningOpsetVersion = 2;

    private const string Prefix = OnnxClassifierNames.InternalPrefix;

    /// <summary>The class value type of models whose labels are text (and of models written before it was recorded).</summary>
    internal const string DefaultClassValueType = "String";

    /// <summary>Writes the model to <paramref name="destination"/>.</summary>
    /// <param name="destination">A writable stream; it is left open.</param>
    /// <param name="architecture">The network's shape and activation.</param>
    /// <param name="parameters">All weights and biases, in the network's layout; every value finite.</param>
    /// <param name="classNames">One distinct name per output, in logit order.</param>
    /// <param name="names">Input and output names; the defaults when null.</param>
    public static void Write(Stream destination, NetworkArchitecture architecture, ReadOnlySpan<float> parameters,
        IReadOnlyList<string> classNames, OnnxClassifierNames? names = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        byte[] model = ToBytes(architecture, parameters, classNames, names);
        destination.Write(model);
    }

    /// <summary>Returns the serialized model.</summary>
    /// <param name="architecture">The network's shape and activation.</param>
    /// <param name="parameters">All weights and biases, in the network's layout; every value finite.</param>
    /// <param name="classNames">One distinct name per output, in logit order.</param>
    /// <param name="names">Input and output names; the defaults when null.</param>
    public static byte[] ToBytes(NetworkArchitecture architecture, ReadOnlySpan<float> parameters,
        IReadOnlyList<string> classNames, OnnxClassifierNames? names = null) =>
        ToBytes(architecture, parameters, classNames, names, OnnxRowLayout.Batched);

    /// <summary>
    /// Returns the serialized model in the given row layout (see <see cref="OnnxRowLayout"/>), recording the raw type
    /// of the label's key values (<c>String</c>, <c>Single</c>, ...) and the network's digest (see <see cref="OnnxNetworkDigest"/>).
    /// </summary>
    internal static byte[] ToBytes(NetworkArchitecture architecture, ReadOnlySpan<float> parameters,
        IReadOnlyList<string> classNames, OnnxClassifierNames? names, OnnxRowLayout layout, string classValueType = DefaultClassValueType)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(classNames);
        names ??= new OnnxClassifierNames();
        names.Validate();
        ValidateClassifier(architecture, parameters, classNames);

        var graph = new OnnxGraphBuilder();
        graph.AddMetadata(OnnxNetworkDigest.ClassValueTypeKey, classValueType);
        graph.AddMetadata(OnnxNetworkDigest.DigestKey, OnnxNetworkDigest.Compute(architecture, parameters, classNames, classValueType));
        foreach ((string key, string value) in OnnxArchitectureRecord.Write(architecture)) graph.AddMetadata(key, value);
        bool singleRow = layout == OnnxRowLayout.SingleRow;
        TensorDimension batch = TensorDimension.Symbolic("N"), features = TensorDimension.Fixed(architecture.InputSize);
        TensorDimension classes = TensorDimension.Fixed(architecture.OutputSize);

        string hidden = names.InputName;
        if (singleRow)
        {
            // x: [D] -> [1, D]
            graph.AddInput(names.InputName, DataTypeFloat, features);
            graph.AddInt64Initializer($"{Prefix}row_axis", [0]);
            hidden = $"{Prefix}input_row";
            graph.AddNode("Unsqueeze", $"{Prefix}unsqueeze_input", [names.InputName, $"{Prefix}row_axis"], [hidden]);
        }
        else
        {
            graph.AddInput(names.InputName, DataTypeFloat, batch, features);
        }

        hidden = AddNetwork(graph, architecture, parameters, hidden, singleRow ? null : names.LogitsName);
        string logits = names.LogitsName, scores = names.ScoreName;
        if (singleRow)
        {
            // logits and scores: [1, C] -> [C]
            graph.AddInt64Initializer($"{Prefix}class_shape", [architecture.OutputSize]);
            graph.AddNode("Reshape", $"{Prefix}reshape_logits", [hidden, $"{Prefix}class_shape"], [names.LogitsName]);
            logits = hidden;
            scores = $"{Prefix}score_row";
            graph.AddNode("Reshape", $"{Prefix}reshape_score", [scores, $"{Prefix}class_shape"], [names.ScoreName]);
        }

        string classNamesValue = $"{Prefix}class_names", predictedIndex = $"{Prefix}predicted_index";
        graph.AddStringInitializer(classNamesValue, classNames);
        graph.AddNode("Softmax", $"{Prefix}softmax", [logits], [scores], null, OnnxGraphBuilder.IntAttribute("axis", 1));
        graph.AddNode("ArgMax", $"{Prefix}argmax", [logits], [predictedIndex], null,
            OnnxGraphBuilder.IntAttribute("axis", 1), OnnxGraphBuilder.IntAttribute("keepdims", 0));
        graph.AddNode("Gather", $"{Prefix}class_lookup", [classNamesValue, predictedIndex], [names.PredictedLabelName], null,
            OnnxGraphBuilder.IntAttribute("axis", 0));

        long[] classIndices = new long[classNames.Count];
        for (int c = 0; c < classIndices.Length; c++) classIndices[c] = c;
        graph.AddNode("LabelEncoder", $"mlnet.{names.ScoreName}.SlotNames", [classNamesValue], [$"{Prefix}class_indices"],
            OnnxGraphBuilder.MachineLearningDomain,
            OnnxGraphBuilder.StringsAttribute("keys_strings", classNames),
            OnnxGraphBuilder.IntsAttribute("values_int64s", classIndices),
            OnnxGraphBuilder.IntAttribute("default_int64", -1));

        if (singleRow)
        {
            graph.AddOutput(names.ScoreName, DataTypeFloat, classes);
            graph.AddOutput(names.PredictedLabelName, DataTypeString, TensorDimension.Fixed(1));
            graph.AddOutput(names.LogitsName, DataTypeFloat, classes);
        }
        else
        {
            graph.AddOutput(names.ScoreName, DataTypeFloat, batch, classes);
            graph.AddOutput(names.PredictedLabelName, DataTypeString, batch);
            graph.AddOutput(names.LogitsName, DataTypeFloat, batch, classes);
        }

        return graph.ToModel("JacobianRegularizedClassifier", OpsetVersion, MachineLearningOpsetVersion,
            $"Jacobian-regularized feedforward classifier {architecture}, classes: {string.Join(", ", classNames)}.");
    }

    /// <summary>
    /// Adds the network (its constants and every layer, see <see cref="AddLayers"/>) reading <paramref name="input"/> and
    /// returns the name of its linear output; shared by every head (this classifier's softmax, <see cref="OnnxOneOutputWriter"/>'s
    /// binary and regression heads).
    /// </summary>
    internal static string AddNetwork(OnnxGraphBuilder graph, NetworkArchitecture architecture, ReadOnlySpan<float> parameters,
        string input, string? logitsName)
    {
        bool usesGelu = architecture.IsMultilayerPerceptron
            ? architecture.Activation == Activation.Gelu
            : architecture.Layers.Any(layer => layer is ActivationLayerSpec { Activation: Activation.Gelu });
        if (usesGelu) AddGeluConstants(graph);
        return AddLayers(graph, architecture, parameters, input, logitsName);
    }

    /// <summary>
    /// Adds the nodes of every layer, from <paramref name="input"/> (<c>[N, D]</c>) to the logits (<c>[N, C]</c>, named
    /// <paramref name="logitsName"/> when given), and returns the logits' name. Weight layer <c>l</c> (in order) is the
    /// node <c>dense{l}</c> (Gemm, transB = 1) or <c>conv{l}</c> (Conv) with initializers <c>{node}.weight</c> and
    /// <c>{node}.bias</c>; the flat input is reshaped to <c>[N, C, H, W]</c> before the first spatial layer and
    /// flattened (channel-major) before a dense layer; dropout is the identity at inference and adds no node.
    /// </summary>
    private static string AddLayers(OnnxGraphBuilder graph, NetworkArchitecture architecture, ReadOnlySpan<float> parameters,
        string input, string? logitsName)
    {
        var resolved = architecture.ResolvedLayers;
        string hidden = input;
        bool spatial = false;
        int weightLayer = -1;
        for (int k = 0; k < resolved.Count; k++)
        {
            (LayerSpec spec, LayerShape shape, _) = resolved[k];
            bool isOutputLayer = k == resolved.Count - 1;
            string node = $"{Prefix}layer{k}";
            if (spec.NeedsImage && !spatial)
            {
                ImageShape image = shape.Image!;
                graph.AddInt64Initializer($"{node}.image_shape", [-1, image.Channels, image.Height, image.Width]);
                graph.AddNode("Reshape", $"{node}.to_image", [hidden, $"{node}.image_shape"], [$"{node}.image"]);
                hidden = $"{node}.image";
                spatial = true;
            }

            switch (spec)
            {
                case DenseLayerSpec:
                {
                    if (spatial)
                    {
                        graph.AddNode("Flatten", $"{node}.flatten", [hidden], [$"{node}.flat"], null, OnnxGraphBuilder.IntAttribute("axis", 1));
                        hidden = $"{node}.flat";
                        spatial = false;
                    }

                    WeightLayerSlice slice = architecture.WeightLayer(++weightLayer);
                    string name = $"{Prefix}dense{weightLayer}";
                    graph.AddFloatInitializer($"{name}.weight", [slice.BiasCount, shape.Width], parameters.Slice(slice.Offset, slice.WeightCount));
                    graph.AddFloatInitializer($"{name}.bias", [slice.BiasCount], parameters.Slice(slice.Offset + slice.WeightCount, slice.BiasCount));
                    string output = isOutputLayer && logitsName is not null ? logitsName : $"{name}.output";
                    graph.AddNode("Gemm", name, [hidden, $"{name}.weight", $"{name}.bias"], [output], null, OnnxGraphBuilder.IntAttribute("transB", 1));
                    hidden = output;
                    break;
                }

                case ConvLayerSpec conv:
                {
                    WeightLayerSlice slice = architecture.WeightLayer(++weightLayer);
                    string name = $"{Prefix}conv{weightLayer}";
                    graph.AddFloatInitializer($"{name}.weight", [conv.OutputChannels, shape.Image!.Channels, conv.KernelHeight, conv.KernelWidth],
                        parameters.Slice(slice.Offset, slice.WeightCount));
                    graph.AddFloatInitializer($"{name}.bias", [conv.OutputChannels], parameters.Slice(slice.Offset + slice.WeightCount, slice.BiasCount));
                    graph.AddNode("Conv", name, [hidden, $"{name}.weight", $"{name}.bias"], [$"{name}.output"], null,
                        OnnxGraphBuilder.IntsAttribute("kernel_shape", [conv.KernelHeight, conv.KernelWidth]),
                        OnnxGraphBuilder.IntsAttribute("strides", [conv.StrideHeight, conv.StrideWidth]),
                        OnnxGraphBuilder.IntsAttribute("pads", [conv.PadHeight, conv.PadWidth, conv.PadHeight, conv.PadWidth]));
                    hidden = $"{name}.output";
                    break;
                }

                case PoolLayerSpec pool:
                    graph.AddNode(pool.Pooling == Pooling.Max ? "MaxPool" : "AveragePool", node, [hidden], [$"{node}.output"], null,
                        OnnxGraphBuilder.IntsAttribute("kernel_shape", [pool.KernelHeight, pool.KernelWidth]),
                        OnnxGraphBuilder.IntsAttribute("strides", [pool.StrideHeight, pool.StrideWidth]));
                    hidden = $"{node}.output";
                    break;
                case GlobalAvgPoolLayerSpec:
                    graph.AddNode("GlobalAveragePool", node, [hidden], [$"{node}.output"]);
                    hidden = $"{node}.output";
                    break;
                case ActivationLayerSpec activation:
                    // A multilayer perceptron keeps the names its readers know: the activation after dense layer l is number l.
                    hidden = AddActivation(graph, activation.Activation, hidden, architecture.IsMultilayerPerceptron ? weightLayer : 1000 + k);
                    break;
                case DropoutLayerSpec:
                    break;
                default:
                    throw new NotSupportedException($"The ONNX writer has no node for the layer '{spec}'.");
            }
        }

        return hidden;
    }

    /// <summary>Throws unless the parameter count fits the architecture and every parameter is finite.</summary>
    internal static void ValidateParameters(NetworkArchitecture architecture, ReadOnlySpan<float> parameters)
    {
        if (parameters.Length != architecture.ParameterCount)
        {
            throw new ArgumentException(
                $"The network {architecture} has {architecture.ParameterCount} parameters, but {parameters.Length} were given.", nameof(parameters));
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            if (!float.IsFinite(parameters[i]))
            {
                throw new ArgumentException($"Parameter {i} is {parameters[i]}; a model with non-finite parameters cannot be exported.", nameof(parameters));
            }
        }
    }

    /// <summary>Throws unless the parameter count, every parameter's finiteness and the class names fit the architecture.</summary>
    internal static void ValidateClassifier(NetworkArchitecture architecture, ReadOnlySpan<float> parameters, IReadOnlyList<string> classNames)
    {
        ValidateParameters(architecture, parameters);

        if (classNames.Count != architecture.OutputSize)
        {
            throw new ArgumentException(
                $"The network has {architecture.OutputSize} outputs, but {classNames.Count} class names were given.", nameof(classNames));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < classNames.Count; c++)
        {
            if (classNames[c] is null) throw new ArgumentException($"Class name {c} is null.", nameof(classNames));
            if (!seen.Add(classNames[c])) throw new ArgumentException($"Class name '{classNames[c]}' appears more than once.", nameof(classNames));
        }
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
                // GELU(a) = a * 0.5 * (1 + erf(a / sqrt 2)): exact form, opset 13 has no Gelu operator.
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
