using System.Text;
using static MLNetJacobian.Onnx.OnnxFieldNumbers;

namespace MLNetJacobian.Onnx;

/// <summary>
/// Collects the nodes, initializers, inputs and outputs of one ONNX graph and serializes the model
/// (<c>ModelProto</c>) with the protobuf field numbers of the ONNX spec.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The ONNX-ML domain (LabelEncoder).</summary>
    public const string MachineLearningDomain = "ai.onnx.ml";

    private readonly List<ProtobufMessageWriter> _nodes = [];
    private readonly List<ProtobufMessageWriter> _initializers = [];
    private readonly List<ProtobufMessageWriter> _inputs = [];
    private readonly List<ProtobufMessageWriter> _outputs = [];
    private readonly List<KeyValuePair<string, string>> _metadata = [];

    /// <summary>Adds a <c>metadata_props</c> entry to the model (runtimes ignore them; the reader checks them).</summary>
    public void AddMetadata(string key, string value) => _metadata.Add(new(key, value));

    /// <summary>Adds a node; <paramref name="attributes"/> come from the <c>*Attribute</c> factories.</summary>
    public void AddNode(string opType, string name, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
        string? domain = null, params ProtobufMessageWriter[] attributes)
    {
        var node = new ProtobufMessageWriter();
        foreach (string input in inputs) node.String(NodeInput, input);
        foreach (string output in outputs) node.String(NodeOutput, output);
        node.String(NodeName, name).String(NodeOpType, opType);
        foreach (ProtobufMessageWriter attribute in attributes) node.Message(NodeAttribute, attribute);
        if (domain is not null) node.String(NodeDomain, domain);
        _nodes.Add(node);
    }

    /// <summary>A float tensor stored in the graph (weights, biases, constants).</summary>
    public void AddFloatInitializer(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> values)
    {
        var tensor = new ProtobufMessageWriter();
        if (dims.Length > 0) tensor.PackedInt64s(TensorDims, dims);
        tensor.Int32(TensorDataType, DataTypeFloat).PackedFloats(TensorFloatData, values).String(TensorName, name);
        _initializers.Add(tensor);
    }

    /// <summary>A one-dimensional int64 tensor stored in the graph (shapes, axes).</summary>
    public void AddInt64Initializer(string name, ReadOnlySpan<long> values)
    {
        var tensor = new ProtobufMessageWriter();
        tensor.PackedInt64s(TensorDims, [values.Length]).Int32(TensorDataType, DataTypeInt64)
            .PackedInt64s(TensorInt64Data, values).String(TensorName, name);
        _initializers.Add(tensor);
    }

    /// <summary>A one-dimensional string tensor stored in the graph, UTF-8 encoded.</summary>
    public void AddStringInitializer(string name, IReadOnlyList<string> values)
    {
        var tensor = new ProtobufMessageWriter();
        tensor.PackedInt64s(TensorDims, [values.Count]).Int32(TensorDataType, DataTypeString);
        foreach (string value in values) tensor.Bytes(TensorStringData, Encoding.UTF8.GetBytes(value));
        tensor.String(TensorName, name);
        _initializers.Add(tensor);
    }

    /// <summary>Declares a graph input.</summary>
    public void AddInput(string name, int elementType, params TensorDimension[] shape) =>
        _inputs.Add(ValueInfo(name, elementType, shape));

    /// <summary>Declares a graph output.</summary>
    public void AddOutput(string name, int elementType, params TensorDimension[] shape) =>
        _outputs.Add(ValueInfo(name, elementType, shape));

    /// <summary>Serializes the model: IR version 7, the default opset and, when used, the ONNX-ML opset.</summary>
    public byte[] ToModel(string graphName, int opsetVersion, int? machineLearningOpsetVersion, string docString)
    {
        var graph = new ProtobufMessageWriter();
        foreach (ProtobufMessageWriter node in _nodes) graph.Message(GraphNode, node);
        graph.String(GraphName, graphName);
        foreach (ProtobufMessageWriter initializer in _initializers) graph.Message(GraphInitializer, initializer);
        foreach (ProtobufMessageWriter input in _inputs) graph.Message(GraphInput, input);
        foreach (ProtobufMessageWriter output in _outputs) graph.Message(GraphOutput, output);

        var model = new ProtobufMessageWriter();
        model.Int64(ModelIrVersion, 7)
            .String(ModelProducerName, "MLNetJacobian")
            .String(ModelProducerVersion, typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0")
            .String(ModelDocString, docString)
            .Message(ModelGraph, graph)
            .Message(ModelOpsetImport, new ProtobufMessageWriter().String(OpsetDomain, "").Int64(OpsetVersion, opsetVersion));
        foreach ((string key, string value) in _metadata)
        {
            model.Message(ModelMetadataProps, new ProtobufMessageWriter().String(EntryKey, key).String(EntryValue, value));
        }

        if (machineLearningOpsetVersion is int mlVersion)
        {
            model.Message(ModelOpsetImport,
                new ProtobufMessageWriter().String(OpsetDomain, MachineLearningDomain).Int64(OpsetVersion, mlVersion));
        }

        return model.ToArray();
    }

    public static ProtobufMessageWriter IntAttribute(string name, long value) =>
        new ProtobufMessageWriter().String(AttributeName, name).Int64(AttributeInt, value).Int32(AttributeType, AttributeTypeInt);

    public static ProtobufMessageWriter IntsAttribute(string name, ReadOnlySpan<long> values) =>
        new ProtobufMessageWriter().String(AttributeName, name).PackedInt64s(AttributeInts, values).Int32(AttributeType, AttributeTypeInts);

    public static ProtobufMessageWriter StringsAttribute(string name, IReadOnlyList<string> values)
    {
        var attribute = new ProtobufMessageWriter().String(AttributeName, name);
        foreach (string value in values) attribute.Bytes(AttributeStrings, Encoding.UTF8.GetBytes(value));
        return attribute.Int32(AttributeType, AttributeTypeStrings);
    }

    private static ProtobufMessageWriter ValueInfo(string name, int elementType, TensorDimension[] shape)
    {
        var shapeMessage = new ProtobufMessageWriter();
        foreach (TensorDimension dimension in shape)
        {
            var dim = new ProtobufMessageWriter();
            if (dimension.Parameter is { } parameter) dim.String(DimensionParameter, parameter);
            else dim.Int64(DimensionValue, dimension.Size);
            shapeMessage.Message(ShapeDimension, dim);
        }

        var tensorType = new ProtobufMessageWriter().Int32(TensorTypeElementType, elementType).Message(TensorTypeShape, shapeMessage);
        var type = new ProtobufMessageWriter().Message(TypeTensorType, tensorType);
        return new ProtobufMessageWriter().String(ValueInfoName, name).Message(ValueInfoType, type);
    }
}
