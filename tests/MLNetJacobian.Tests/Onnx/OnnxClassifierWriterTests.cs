using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLNetJacobian.Network;
using MLNetJacobian.Onnx;

namespace MLNetJacobian.Tests.Onnx;

public class OnnxClassifierWriterTests
{
    private static readonly string[] ThreeClasses = ["cat", "dog", "bird"];

    public static TheoryData<Activation, int[]> Networks()
    {
        var data = new TheoryData<Activation, int[]>();
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            data.Add(activation, []);
            data.Add(activation, [5]);
            data.Add(activation, [7, 6]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void ToBytes_RunInOnnxRuntime_MatchesReferenceForwardPass(Activation activation, int[] hidden)
    {
        var architecture = new NetworkArchitecture(4, hidden, 3, activation);
        float[] parameters = ReferenceClassifier.RandomParameters(architecture, seed: 11, scale: 1f);
        const int rows = 6;
        float[] x = new float[rows * 4];
        var random = new Random(5);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 6 - 3);

        byte[] model = OnnxClassifierWriter.ToBytes(architecture, parameters, ThreeClasses);
        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(x, [rows, 4]);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(
            options, ["Features"], [input], ["Score", "PredictedLabel", "Logits"]);

        double[] expectedLogits = ReferenceClassifier.Logits(architecture, parameters, x, rows);
        double[] expectedScores = ReferenceClassifier.Softmax(expectedLogits, 3);
        ReadOnlySpan<float> scores = outputs[0].GetTensorDataAsSpan<float>();
        ReadOnlySpan<float> logits = outputs[2].GetTensorDataAsSpan<float>();
        Assert.Equal([rows, 3], outputs[0].GetTensorTypeAndShape().Shape);
        Assert.Equal([rows], outputs[1].GetTensorTypeAndShape().Shape);
        // Float arithmetic over at most 8 terms of magnitude ~3 against a double reference: errors ~1e-6.
        for (int i = 0; i < expectedLogits.Length; i++)
        {
            Assert.Equal(expectedLogits[i], logits[i], 1e-5);
            Assert.Equal(expectedScores[i], scores[i], 1e-5);
        }

        for (int r = 0; r < rows; r++)
        {
            Assert.Equal(ThreeClasses[ReferenceClassifier.ArgMax(expectedLogits, 3, r)], outputs[1].GetStringElement(r));
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void ToBytes_SingleRowLayout_OneRowPerRunMatchesReferenceForwardPass(Activation activation, int[] hidden)
    {
        var architecture = new NetworkArchitecture(4, hidden, 3, activation);
        float[] parameters = ReferenceClassifier.RandomParameters(architecture, seed: 12, scale: 1f);
        float[] x = [0.5f, -1.5f, 2f, 0.25f];

        byte[] model = OnnxClassifierWriter.ToBytes(architecture, parameters, ThreeClasses, null, OnnxRowLayout.SingleRow);
        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(x, [4]);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(
            options, ["Features"], [input], ["Score", "PredictedLabel", "Logits"]);

        double[] expectedLogits = ReferenceClassifier.Logits(architecture, parameters, x, 1);
        double[] expectedScores = ReferenceClassifier.Softmax(expectedLogits, 3);
        Assert.Equal([3], outputs[0].GetTensorTypeAndShape().Shape);
        Assert.Equal([1], outputs[1].GetTensorTypeAndShape().Shape);
        Assert.Equal([3], outputs[2].GetTensorTypeAndShape().Shape);
        // Same float-versus-double tolerance as the batched layout.
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(expectedLogits[c], outputs[2].GetTensorDataAsSpan<float>()[c], 1e-5);
            Assert.Equal(expectedScores[c], outputs[0].GetTensorDataAsSpan<float>()[c], 1e-5);
        }

        Assert.Equal(ThreeClasses[ReferenceClassifier.ArgMax(expectedLogits, 3, 0)], outputs[1].GetStringElement(0));
    }

    [Fact]
    public void ToBytes_CustomNames_GraphUsesThem()
    {
        var architecture = new NetworkArchitecture(2, [3], 2, Activation.Relu);
        var names = new OnnxClassifierNames { InputName = "pixels", ScoreName = "probabilities", PredictedLabelName = "label", LogitsName = "z" };

        byte[] model = OnnxClassifierWriter.ToBytes(architecture, ReferenceClassifier.RandomParameters(architecture, 1), ["no", "yes"], names);
        using var session = new InferenceSession(model);

        Assert.Equal(["pixels"], session.InputNames);
        Assert.Equal(["probabilities", "label", "z"], session.OutputNames);
        Assert.Equal([-1, 2], session.InputMetadata["pixels"].Dimensions);
    }

    [Fact]
    public void Write_Stream_SameBytesAsToBytes()
    {
        var architecture = new NetworkArchitecture(3, [2], 2, Activation.Tanh);
        float[] parameters = ReferenceClassifier.RandomParameters(architecture, 3);
        using var stream = new MemoryStream();

        OnnxClassifierWriter.Write(stream, architecture, parameters, ["a", "b"]);

        Assert.Equal(OnnxClassifierWriter.ToBytes(architecture, parameters, ["a", "b"]), stream.ToArray());
    }

    [Fact]
    public void ToBytes_WrongParameterCount_ThrowsNamingBothCounts()
    {
        var architecture = new NetworkArchitecture(3, [2], 2, Activation.Relu);

        var error = Assert.Throws<ArgumentException>(() => OnnxClassifierWriter.ToBytes(architecture, new float[5], ["a", "b"]));

        Assert.Equal("The network 3-2-2 Relu has 14 parameters, but 5 were given. (Parameter 'parameters')", error.Message);
    }

    [Fact]
    public void ToBytes_NaNParameter_ThrowsNamingIndex()
    {
        var architecture = new NetworkArchitecture(3, [2], 2, Activation.Relu);
        float[] parameters = new float[14];
        parameters[9] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => OnnxClassifierWriter.ToBytes(architecture, parameters, ["a", "b"]));

        Assert.Equal("Parameter 9 is NaN; a model with non-finite parameters cannot be exported. (Parameter 'parameters')", error.Message);
    }

    [Fact]
    public void ToBytes_DuplicateClassNames_Throws()
    {
        var architecture = new NetworkArchitecture(3, [], 2, Activation.Relu);

        var error = Assert.Throws<ArgumentException>(() => OnnxClassifierWriter.ToBytes(architecture, new float[8], ["a", "a"]));

        Assert.Equal("Class name 'a' appears more than once. (Parameter 'classNames')", error.Message);
    }

    [Fact]
    public void ToBytes_ClassCountDiffersFromOutputs_Throws()
    {
        var architecture = new NetworkArchitecture(3, [], 2, Activation.Relu);

        var error = Assert.Throws<ArgumentException>(() => OnnxClassifierWriter.ToBytes(architecture, new float[8], ["a", "b", "c"]));

        Assert.Equal("The network has 2 outputs, but 3 class names were given. (Parameter 'classNames')", error.Message);
    }

    [Fact]
    public void ToBytes_RepeatedName_ThrowsNamingBothProperties()
    {
        var architecture = new NetworkArchitecture(3, [], 2, Activation.Relu);
        var names = new OnnxClassifierNames { ScoreName = "Features" };

        var error = Assert.Throws<ArgumentException>(() => OnnxClassifierWriter.ToBytes(architecture, new float[8], ["a", "b"], names));

        Assert.Equal("OnnxClassifierNames.ScoreName and OnnxClassifierNames.InputName are both 'Features'; every name must be distinct. (Parameter 'ScoreName')", error.Message);
    }
}
