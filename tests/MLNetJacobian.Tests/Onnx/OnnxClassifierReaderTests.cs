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
}
