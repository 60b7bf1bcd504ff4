using System.Runtime.InteropServices;
using Google.Protobuf;
using MLNetJacobian.Network;
using MLNetJacobian.Onnx;

namespace MLNetJacobian.Tests.Onnx;

public class OnnxClassifierReaderTests
{
    private static readonly string[] ThreeClasses = ["cat", "dog", "bird"];

    public static TheoryData<Activation, int[], bool> Networks()
    {
        var data = new TheoryData<Activation, int[], bool>();
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            foreach (int[] hidden in new[] { Array.Empty<int>(), [5], [7, 6], [4, 3, 5] })
            {
                data.Add(activation, hidden, false);
                data.Add(activation, hidden, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Read_WrittenModel_IdenticalArchitectureParametersAndClassNames(Activation activation, int[] hidden, bool singleRow)
    {
        var architecture = new NetworkArchitecture(4, hidden, 3, activation);
        float[] parameters = ReferenceClassifier.RandomParameters(architecture, seed: 11, scale: 1f);
        var names = new OnnxClassifierNames { InputName = "Pixels", ScoreName = "Probabilities", PredictedLabelName = "Label", LogitsName = "Raw" };
        byte[] bytes = OnnxClassifierWriter.ToBytes(architecture, parameters, ThreeClasses, names,
            singleRow ? OnnxRowLayout.SingleRow : OnnxRowLayout.Batched);

        OnnxClassifierModel model = OnnxClassifierReader.Read(bytes);

        Assert.Equal(architecture, model.Architecture);
        // The reader copies the stored IEEE floats: bit-identical, no tolerance.
        Assert.Equal(parameters, model.Parameters.ToArray());
        Assert.Equal(ThreeClasses, model.ClassNames);
        Assert.Equal(names, model.Names);
    }

    [Fact]
    public void Read_Stream_SameAsBytes()
    {
        var architecture = new NetworkArchitecture(3, [2], 2, Activation.Tanh);
        float[] parameters = ReferenceClassifier.RandomParameters(architecture, seed: 2, scale: 1f);
        using var stream = new MemoryStream();
        OnnxClassifierWriter.Write(stream, architecture, parameters, ["no", "yes"]);
        stream.Position = 0;

        OnnxClassifierModel model = OnnxClassifierReader.Read(stream);

        Assert.Equal(parameters, model.Parameters.ToArray());
        Assert.Equal(new OnnxClassifierNames(), model.Names);
    }

    [Fact]
    public void Read_GraphWithForeignOperator_ThrowsNamingIt()
    {
        var graph = new OnnxGraphBuilder();
        graph.AddInput("x", OnnxFieldNumbers.DataTypeFloat, TensorDimension.Fixed(2));
        graph.AddNode("Sigmoid", "foreign", ["x"], ["y"]);
        graph.AddOutput("y", OnnxFieldNumbers.DataTypeFloat, TensorDimension.Fixed(2));
        byte[] bytes = graph.ToModel("other", 13, null, "not ours");

        var exception = Assert.Throws<InvalidDataException>(() => OnnxClassifierReader.Read(bytes));

        Assert.Contains("'Sigmoid'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("OnnxClassifierWriter", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_GraphWithoutDenseLayers_FalseWithReason()
    {
        var graph = new OnnxGraphBuilder();
        graph.AddInput("x", OnnxFieldNumbers.DataTypeFloat, TensorDimension.Fixed(2));
        graph.AddNode("Relu", "relu", ["x"], ["y"]);
        graph.AddOutput("y", OnnxFieldNumbers.DataTypeFloat, TensorDimension.Fixed(2));

        bool read = OnnxClassifierReader.TryRead(graph.ToModel("other", 13, null, "not ours"), out OnnxClassifierModel? model, out string reason);

        Assert.False(read);
        Assert.Null(model);
        Assert.Contains("no dense layer", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotProtobuf_ThrowsInvalidData()
    {
        byte[] garbage = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

        Assert.Throws<InvalidDataException>(() => OnnxClassifierReader.Read(garbage));
    }

    [Fact]
    public void Read_WeightsAsRawData_SameParameters()
    {
        // ONNX tools often store initializers as raw_data (little-endian bytes) instead of float_data: re-encode the
        // writer's dense initializers that way and read them back.
        var architecture = new NetworkArchitecture(3, [4], 2, Activation.Relu);
        float[] parameters = ReferenceClassifier.RandomParameters(architecture, seed: 7, scale: 1f);
        byte[] written = OnnxClassifierWriter.ToBytes(architecture, parameters, ["a", "b"]);

        OnnxClassifierModel model = OnnxClassifierReader.Read(WithRawDataInitializers(written));

        Assert.Equal(parameters, model.Parameters.ToArray());
    }

    private static byte[] WithRawDataInitializers(byte[] model)
    {
        var rewritten = new ProtobufMessageWriter();
        foreach (ProtobufMessageReader.Field field in ProtobufMessageReader.ReadFields(model))
        {
            if (field.Number != OnnxFieldNumbers.ModelGraph) Copy(rewritten, field);
            else rewritten.Message(field.Number, RewriteGraph(field.Bytes.Span));
        }

        return rewritten.ToArray();
    }

    private static ProtobufMessageWriter RewriteGraph(ReadOnlySpan<byte> graph)
    {
        var rewritten = new ProtobufMessageWriter();
        foreach (ProtobufMessageReader.Field field in ProtobufMessageReader.ReadFields(graph))
        {
            if (field.Number != OnnxFieldNumbers.GraphInitializer) { Copy(rewritten, field); continue; }
            var dims = new List<long>();
            var floats = new List<float>();
            string name = "";
            int dataType = 0;
            foreach (ProtobufMessageReader.Field part in ProtobufMessageReader.ReadFields(field.Bytes.Span))
            {
                if (part.Number == OnnxFieldNumbers.TensorDims) ProtobufMessageReader.AppendInt64s(part, dims);
                else if (part.Number == OnnxFieldNumbers.TensorFloatData) ProtobufMessageReader.AppendFloats(part, floats);
                else if (part.Number == OnnxFieldNumbers.TensorName) name = part.Bytes.ToStringUtf8();
                else if (part.Number == OnnxFieldNumbers.TensorDataType) dataType = (int)part.Value;
            }

            if (dataType != OnnxFieldNumbers.DataTypeFloat || !name.Contains("dense", StringComparison.Ordinal)) { Copy(rewritten, field); continue; }
            Assert.True(BitConverter.IsLittleEndian); // raw_data is little-endian; MemoryMarshal gives the machine's order.
            var tensor = new ProtobufMessageWriter().PackedInt64s(OnnxFieldNumbers.TensorDims, dims.ToArray())
                .Int32(OnnxFieldNumbers.TensorDataType, dataType).String(OnnxFieldNumbers.TensorName, name)
                .Bytes(OnnxFieldNumbers.TensorRawData, MemoryMarshal.AsBytes(floats.ToArray().AsSpan()));
            rewritten.Message(field.Number, tensor);
        }

        return rewritten;
    }

    private static void Copy(ProtobufMessageWriter destination, ProtobufMessageReader.Field field)
    {
        if (field.WireType == WireFormat.WireType.LengthDelimited) destination.Bytes(field.Number, field.Bytes.Span);
        else destination.Int64(field.Number, (long)field.Value);
    }
}
