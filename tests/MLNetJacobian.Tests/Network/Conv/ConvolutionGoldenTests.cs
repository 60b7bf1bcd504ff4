using System.Numerics;
using System.Text.Json;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Training;
using Xunit.Abstractions;

namespace MLNetJacobian.Tests.Network;

/// <summary>
/// The convolutional golden cases (../shared/data/golden/conv_*.json, PyTorch float64 with double backward):
/// logits, exact Jacobians and their norms through the evaluator; cross-entropy, penalty, loss and every parameter
/// gradient through the objective, with the file's projections injected.
/// </summary>
public sealed class ConvolutionGoldenTests(ITestOutputHelper output)
{
    // As for the dense golden cases: float64 in both engines, summed in different orders (a few hundred ulps at most);
    // float rounds inputs and weights (6e-8 relative) and accumulates through two to four weight layers.
    private const double DoubleTolerance = 1e-10;
    private const double FloatTolerance = 1e-4;

    public static TheoryData<string> Cases() =>
        new(Directory.GetFiles(SharedData.PathOf("golden"), "conv_*.json").Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal));

    [Fact]
    public void Cases_SharedData_HoldsTheFourConvolutionalCases() => Assert.True(Cases().Count >= 4, "The convolutional golden cases are missing.");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Network_GoldenCaseInDouble_MatchesEveryTensor(string fileName) => Check<double>(fileName, DoubleTolerance);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Network_GoldenCaseInFloat_MatchesEveryTensor(string fileName) => Check<float>(fileName, FloatTolerance);

    private void Check<T>(string fileName, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(SharedData.PathOf("golden", fileName)));
        JsonElement root = document.RootElement;
        NetworkArchitecture architecture = ArchitectureOf(root);
        double[] parameters = Flatten(root.GetProperty("parameters")).ToArray();
        double[] gradientExpected = Flatten(root.GetProperty("grad_parameters")).ToArray();
        double[] x = Flatten(root.GetProperty("x")).ToArray();
        int[] labels = root.GetProperty("y").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        int rows = root.GetProperty("batch").GetInt32(), classCount = architecture.OutputSize, inputSize = architecture.InputSize;
        int projectionCount = root.GetProperty("n_proj").GetInt32();
        double lambda = root.GetProperty("lambda").GetDouble(), penaltyExpected = root.GetProperty("penalty").GetDouble();
        Assert.Equal(architecture.ParameterCount, parameters.Length);

        var network = FeedForwardNetwork<T>.FromParameters(architecture, NumericAssert.FromDouble<T>(parameters));
        var evaluator = new NetworkEvaluator<T>(network, new ReferenceGemmProvider(), rows);
        T[] inputs = NumericAssert.FromDouble<T>(x);
        var logits = new T[rows * classCount];
        evaluator.ComputeLogits(inputs, rows, logits);
        var jacobians = new T[rows * classCount * inputSize];
        evaluator.ComputeJacobians(inputs, rows, jacobians);
        var norms = new double[rows];
        evaluator.ComputeJacobianFrobeniusNormsSquared(inputs, rows, norms);

        bool exact = projectionCount < 0;
        var objective = new JacobianRegularizedObjective<T>(network, new ReferenceGemmProvider(), rows,
            new JacobianPenaltyOptions(lambda, exact ? 1 : projectionCount, exact));
        if (!exact)
        {
            objective.Projections = new FixedProjectionSource<T>(NumericAssert.FromDouble<T>(Flatten(root.GetProperty("projections")).ToArray()),
                projectionCount, rows, classCount);
        }

        var gradient = new T[network.ParameterCount];
        Array.Fill(gradient, T.NaN);
        T[] targets = labels.Select(label => T.CreateTruncating(label)).ToArray();   // class indices as the objective's targets
        BatchLoss loss = objective.Compute(inputs, targets, [], rows, gradient, new Random(1));
        double[] actualGradient = NumericAssert.ToDouble<T>(gradient);

        var errors = new List<double>
        {
            NumericAssert.Close(Flatten(root.GetProperty("logits")).ToArray(), NumericAssert.ToDouble<T>(logits), tolerance, "logits"),
            NumericAssert.Close(Flatten(root.GetProperty("jacobians")).ToArray(), NumericAssert.ToDouble<T>(jacobians), tolerance, "Jacobians"),
            NumericAssert.Close(Flatten(root.GetProperty("jacobian_frobenius_sq")).ToArray(), norms, tolerance, "||J||_F^2"),
            NumericAssert.Close(root.GetProperty("cross_entropy").GetDouble(), loss.DataLoss, tolerance, "cross-entropy"),
            NumericAssert.Close(lambda * penaltyExpected, loss.Penalty, tolerance, "penalty term"),
            NumericAssert.Close(root.GetProperty("loss").GetDouble(), loss.Loss, tolerance, "loss"),
        };
        int offset = 0;
        JsonElement parameterTensors = root.GetProperty("parameters");
        for (int t = 0; t < parameterTensors.GetArrayLength(); t++)
        {
            int count = Flatten(parameterTensors[t]).Count();
            string name = $"{(t % 2 == 0 ? "weight" : "bias")} of weight layer {t / 2}";
            errors.Add(NumericAssert.Close(gradientExpected.AsSpan(offset, count), actualGradient.AsSpan(offset, count), tolerance, $"gradient of the {name}"));
            offset += count;
        }

        Assert.Equal(gradientExpected.Length, offset);
        output.WriteLine($"{fileName} {typeof(T).Name}: max relative error {errors.Max():E2}");
    }

    /// <summary>The file's layer list, with its convention: the activation follows every conv and dense layer but the last.</summary>
    private static NetworkArchitecture ArchitectureOf(JsonElement root)
    {
        int[] shape = root.GetProperty("input_shape_chw").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var activation = Enum.Parse<Activation>(root.GetProperty("hidden_activation").GetString()!, ignoreCase: true);
        JsonElement[] entries = root.GetProperty("layers").EnumerateArray().ToArray();
        var layers = new List<LayerSpec>();
        for (int k = 0; k < entries.Length - 1; k++)
        {
            int[] settings = entries[k].EnumerateArray().Skip(1).Select(e => e.GetInt32()).ToArray();
            switch (entries[k][0].GetString())
            {
                case "conv":
                    layers.Add(new ConvLayerSpec(settings[0], settings[1], settings[2], settings[3]));
                    layers.Add(new ActivationLayerSpec(activation));
                    break;
                case "maxpool":
                    layers.Add(new PoolLayerSpec(Pooling.Max, settings[0], settings[1]));
                    break;
                case "avgpool":
                    layers.Add(new PoolLayerSpec(Pooling.Average, settings[0], settings[1]));
                    break;
                case "dense":
                    layers.Add(new DenseLayerSpec(settings[0]));
                    layers.Add(new ActivationLayerSpec(activation));
                    break;
                default:
                    throw new InvalidDataException($"Unknown layer {entries[k]} in a golden file.");
            }
        }

        Assert.Equal("dense", entries[^1][0].GetString());
        int classes = root.GetProperty("classes").GetInt32();
        Assert.Equal(classes, entries[^1][1].GetInt32());
        return new NetworkArchitecture(new ImageShape(shape[0], shape[1], shape[2]), layers, classes);
    }

    private static IEnumerable<double> Flatten(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            yield return element.GetDouble();
            yield break;
        }

        foreach (JsonElement child in element.EnumerateArray())
        {
            foreach (double value in Flatten(child)) yield return value;
        }
    }
}
