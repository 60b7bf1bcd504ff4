using System.Text;
using static MLNetJacobian.Onnx.OnnxFieldNumbers;
using static MLNetJacobian.Onnx.ProtobufMessageReader;

namespace MLNetJacobian.Onnx;

/// <summary>
/// The parts of an ONNX <c>ModelProto</c> that <see cref="OnnxClassifierReader"/> inspects: the graph's nodes
/// (op type, name, inputs, outputs, integer attributes), its initializers (dims, element type, float or string
/// data) and its input and output names. Every other field is skipped.
/// </summary>
internal sealed class OnnxGraphContent
{
    /// <summary>One graph node.</summary>
    public sealed record Node(string OpType, string Name, string Domain, List<string> Inputs, List<string> Outputs, Dictionary<string, long> IntAttributes);

    /// <summary>One initializer; <see cref="Floats"/> holds <c>float_data</c> or decoded <c>raw_data</c>.</summary>
    public sealed record Tensor(string Name, int DataType, List<long> Dims, List<float> Floats, List<string> Strings);

    public List<Node> Nodes { get; } = [];

    public Dictionary<string, Tensor> Initializers { get; } = new(StringComparer.Ordinal);

    public List<string> InputNames { get; } = [];

    public List<string> OutputNames { get; } = [];

    /// <summary>The model's doc_string (the writer puts the architecture there), empty when absent.</summary>
    public string DocString { get; private set; } = "";

    /// <summary>The model's <c>metadata_props</c> (key to value; a repeated key keeps its last value).</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses a serialized <c>ModelProto</c>; throws <see cref="InvalidDataException"/> when it is not protobuf or has no graph.</summary>
    public static OnnxGraphContent Parse(ReadOnlySpan<byte> model)
    {
        var content = new OnnxGraphContent();
        bool hasGraph = false;
        try
        {
            foreach (Field field in ReadFields(model))
            {
                if (field.Number == ModelDocString && field.WireType == Google.Protobuf.WireFormat.WireType.LengthDelimited) content.DocString = field.Bytes.ToStringUtf8();
                if (field.Number == ModelMetadataProps && field.WireType == Google.Protobuf.WireFormat.WireType.LengthDelimited) content.ReadMetadata(field.Bytes.Span);
                if (field.Number != ModelGraph || field.WireType != Google.Protobuf.WireFormat.WireType.LengthDelimited) continue;
                hasGraph = true;
                content.ReadGraph(field.Bytes.Span);
            }
        }
        catch (Google.Protobuf.InvalidProtocolBufferException exception)
        {
            throw new InvalidDataException($"The bytes are not a protobuf-encoded ONNX model: {exception.Message}", exception);
        }

        if (!hasGraph) throw new InvalidDataException("The bytes hold no ONNX graph (ModelProto field 7).");
        return content;
    }

    private void ReadMetadata(ReadOnlySpan<byte> entry)
    {
        string key = "", value = "";
        foreach (Field field in ReadFields(entry))
        {
            if (field.WireType != Google.Protobuf.WireFormat.WireType.LengthDelimited) continue;
            if (field.Number == EntryKey) key = field.Bytes.ToStringUtf8();
            else if (field.Number == EntryValue) value = field.Bytes.ToStringUtf8();
        }

        Metadata[key] = value;
    }

    private void ReadGraph(ReadOnlySpan<byte> graph)
    {
        foreach (Field field in ReadFields(graph))
        {
            if (field.WireType != Google.Protobuf.WireFormat.WireType.LengthDelimited) continue;
            switch (field.Number)
            {
                case GraphNode: Nodes.Add(ReadNode(field.Bytes.Span)); break;
                case GraphInitializer:
                    Tensor tensor = ReadTensor(field.Bytes.Span);
                    Initializers[tensor.Name] = tensor;
                    break;
                case GraphInput: InputNames.Add(ReadValueInfoName(field.Bytes.Span)); break;
                case GraphOutput: OutputNames.Add(ReadValueInfoName(field.Bytes.Span)); break;
            }
        }
    }

    private static Node ReadNode(ReadOnlySpan<byte> message)
    {
        string opType = "", name = "", domain = "";
        List<string> inputs = [], outputs = [];
        var attributes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Field field in ReadFields(message))
        {
            switch (field.Number)
            {
                case NodeInput: inputs.Add(field.Bytes.ToStringUtf8()); break;
                case NodeOutput: outputs.Add(field.Bytes.ToStringUtf8()); break;
                case NodeName: name = field.Bytes.ToStringUtf8(); break;
                case NodeOpType: opType = field.Bytes.ToStringUtf8(); break;
                case NodeDomain: domain = field.Bytes.ToStringUtf8(); break;
                case NodeAttribute:
                    string attributeName = "";
                    long? value = null;
                    foreach (Field part in ReadFields(field.Bytes.Span))
                    {
                        if (part.Number == AttributeName) attributeName = part.Bytes.ToStringUtf8();
                        else if (part.Number == AttributeInt && part.WireType == Google.Protobuf.WireFormat.WireType.Varint) value = (long)part.Value;
                    }

                    if (value is long integer) attributes[attributeName] = integer;
                    break;
            }
        }

        return new Node(opType, name, domain, inputs, outputs, attributes);
    }

    private static Tensor ReadTensor(ReadOnlySpan<byte> message)
    {
        string name = "";
        int dataType = 0;
        List<long> dims = [];
        List<float> floats = [];
        List<string> strings = [];
        Google.Protobuf.ByteString raw = Google.Protobuf.ByteString.Empty;
        foreach (Field field in ReadFields(message))
        {
            switch (field.Number)
            {
                case TensorDims: AppendInt64s(field, dims); break;
                case TensorDataType: dataType = (int)field.Value; break;
                case TensorFloatData: AppendFloats(field, floats); break;
                case TensorStringData: strings.Add(Encoding.UTF8.GetString(field.Bytes.Span)); break;
                case TensorName: name = field.Bytes.ToStringUtf8(); break;
                case TensorRawData: raw = field.Bytes; break;
            }
        }

        if (dataType == DataTypeFloat && !raw.IsEmpty) AppendLittleEndianFloats(raw.Span, floats);
        return new Tensor(name, dataType, dims, floats, strings);
    }

    private static string ReadValueInfoName(ReadOnlySpan<byte> message)
    {
        foreach (Field field in ReadFields(message))
        {
            if (field.Number == ValueInfoName) return field.Bytes.ToStringUtf8();
        }

        return "";
    }
}
