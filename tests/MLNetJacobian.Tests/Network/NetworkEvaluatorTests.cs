using System.Text.Json;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Tests.Training.Objective;
using Xunit.Abstractions;

namespace MLNetJacobian.Tests.Network;

/// <summary>The evaluator's input gradients and Jacobians against finite differences and closed forms.</summary>
public sealed class NetworkEvaluatorTests(ITestOutputHelper output)
{
    // Five-point central differences at h = 1e-3 on order-one functions: truncation ~1e-13, rounding ~1e-13
    // (see the objective's gradient check); 1e-9 relative to the largest entry is a wide yet sharp margin.
    private const double Step = 1e-3;
    private const double FiniteDifferenceTolerance = 1e-9;

    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Softplus)]
    [InlineData(Activation.Gelu)]
    public void ComputeInputGradient_SmoothNetwork_MatchesFiniteDifferences(Activation activation)
    {
        const int rows = 3;
        var testCase = ObjectiveTestCase.Create(new NetworkArchitecture(5, [6, 4], 3, activation), rows, seed: 31);
        var evaluator = new NetworkEvaluator<double>(testCase.Network, new ReferenceGemmProvider(), rows);
        double[] logitGradient = Enumerable.Range(0, rows * 3).Select(j => Math.Sin(j + 1.0)).ToArray();
        var analytic = new double[rows * 5];
        evaluator.ComputeInputGradient(testCase.Inputs, rows, logitGradient, analytic);

        var numeric = new double[rows * 5];
        var logits = new double[rows * 3];
        double[] x = [.. testCase.Inputs];
        for (int j = 0; j < x.Length; j++)
        {
            double saved = x[j];
            double Value(double offset)
            {
                x[j] = saved + offset;
                evaluator.ComputeLogits(x, rows, logits);
                return logits.Select((z, k) => z * logitGradient[k]).Sum();   // sum_i g_i . z(x_i)
            }

            numeric[j] = (Value(-2 * Step) - 8 * Value(-Step) + 8 * Value(Step) - Value(2 * Step)) / (12 * Step);
            x[j] = saved;
        }

        double error = NumericAssert.Close(numeric, analytic, FiniteDifferenceTolerance, "input gradient");
        output.WriteLine($"{activation}: input gradient relative error {error:E2}");
    }

    [Fact]
    public void ComputeJacobian_GeluNetwork_MatchesFiniteDifferencesOfLogits()
    {
        var testCase = ObjectiveTestCase.Create(new NetworkArchitecture(4, [7, 5], 6, Activation.Gelu), 1, seed: 32);
        var evaluator = new NetworkEvaluator<double>(testCase.Network, new ReferenceGemmProvider(), 1);
        var jacobian = new double[6 * 4];
        evaluator.ComputeJacobian(testCase.Inputs, jacobian);
        var numeric = new double[6 * 4];
        double[] x = [.. testCase.Inputs];
        var plus2 = new double[6]; var plus = new double[6]; var minus = new double[6]; var minus2 = new double[6];
        for (int d = 0; d < 4; d++)
        {
            double saved = x[d];
            x[d] = saved + 2 * Step; evaluator.ComputeLogits(x, 1, plus2);
            x[d] = saved + Step; evaluator.ComputeLogits(x, 1, plus);
            x[d] = saved - Step; evaluator.ComputeLogits(x, 1, minus);
            x[d] = saved - 2 * Step; evaluator.ComputeLogits(x, 1, minus2);
            x[d] = saved;
            for (int c = 0; c < 6; c++) numeric[c * 4 + d] = (minus2[c] - 8 * minus[c] + 8 * plus[c] - plus2[c]) / (12 * Step);
        }

        double error = NumericAssert.Close(numeric, jacobian, FiniteDifferenceTolerance, "Jacobian");
        output.WriteLine($"Jacobian relative error {error:E2}");
        Assert.Equal(Math.Sqrt(jacobian.Sum(v => v * v)), evaluator.ComputeJacobianFrobeniusNorm(testCase.Inputs), 12);
    }

    [Fact]
    public void ComputeJacobian_AffineNetwork_EqualsWeightMatrixEverywhere()
    {
        var network = FeedForwardNetwork<double>.Create(new NetworkArchitecture(6, [], 4, Activation.Relu), WeightInitializer.HeNormal, new Random(33));
        var evaluator = new NetworkEvaluator<double>(network, new ReferenceGemmProvider(), 1);
        var random = new Random(34);
        var jacobian = new double[4 * 6];
        for (int trial = 0; trial < 3; trial++)
        {
            double[] x = Enumerable.Range(0, 6).Select(_ => 10 * random.NextDouble() - 5).ToArray();
            evaluator.ComputeJacobian(x, jacobian);
            Assert.Equal(network.GetWeights(0).ToArray(), jacobian);   // one GEMM with a basis vector: exact
        }
    }

    [Fact]
    public void ComputeJacobian_ReluNetworkWithEveryUnitActive_EqualsProductOfWeightMatrices()
    {
        // Positive weights, biases and inputs keep every ReLU in its linear part, so the net is affine there:
        // J = W_3 W_2 W_1.
        var architecture = new NetworkArchitecture(3, [5, 4], 2, Activation.Relu);
        var random = new Random(35);
        double[] parameters = Enumerable.Range(0, architecture.ParameterCount).Select(_ => 0.1 + random.NextDouble()).ToArray();
        var network = FeedForwardNetwork<double>.FromParameters(architecture, parameters);
        double[] product = Multiply(Multiply(network.GetWeights(2).ToArray(), 2, 4, network.GetWeights(1).ToArray(), 5), 2, 5,
            network.GetWeights(0).ToArray(), 3);
        var jacobian = new double[2 * 3];
        new NetworkEvaluator<double>(network, new ReferenceGemmProvider(), 1).ComputeJacobian([0.3, 0.7, 0.2], jacobian);
        NumericAssert.Close(product, jacobian, 1e-14, "J vs W3 W2 W1");
    }

    [Fact]
    public void ComputeJacobian_FrobeniusNormSquared_EqualsInputSizeTimesMeanSquaredDirectionalDerivative()
    {
        const int inputSize = 6, classCount = 3, draws = 4000;
        var testCase = ObjectiveTestCase.Create(new NetworkArchitecture(inputSize, [8], classCount, Activation.Tanh), 1, seed: 36);
        var jacobian = new double[classCount * inputSize];
        new NetworkEvaluator<double>(testCase.Network, new ReferenceGemmProvider(), 1).ComputeJacobian(testCase.Inputs, jacobian);
        double normSquared = jacobian.Sum(v => v * v);

        // u uniform on S^(D-1) (reusing the projection source with C = D), estimate D |J u|^2.
        var directions = new double[draws * inputSize];
        new MLNetJacobian.Training.UnitSphereProjectionSource<double>().Fill(directions, 1, draws, inputSize, new Random(37));
        double sum = 0;
        for (int n = 0; n < draws; n++)
        {
            for (int c = 0; c < classCount; c++)
            {
                double component = 0;
                for (int d = 0; d < inputSize; d++) component += jacobian[c * inputSize + d] * directions[n * inputSize + d];
                sum += inputSize * component * component;
            }
        }

        // Variance of one draw: the estimator's formula with J^T in place of J (dimension D, A = J^T J).
        double[] transposed = new double[inputSize * classCount];
        for (int c = 0; c < classCount; c++)
        {
            for (int d = 0; d < inputSize; d++) transposed[d * classCount + c] = jacobian[c * inputSize + d];
        }

        double standardError = Math.Sqrt(JacobianPenaltyEstimatorTests.SingleDrawVariance(transposed, inputSize, classCount) / draws);
        double mean = sum / draws;
        output.WriteLine($"||J||^2 {normSquared:F6}, D mean |Ju|^2 {mean:F6}, standard error {standardError:E2}");
        Assert.True(Math.Abs(mean - normSquared) <= 5 * standardError, $"{mean} vs {normSquared}, standard error {standardError:E2}.");
    }

    [Fact]
    public void ComputeInputGradient_AttackGoldenCase_MatchesCrossEntropyInputGradient()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(SharedData.PathOf("golden", "attacks_tanh_6_8_3.json")));
        JsonElement root = document.RootElement;
        int[] sizes = root.GetProperty("layer_sizes").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var architecture = new NetworkArchitecture(sizes[0], sizes[1..^1], sizes[^1], Activation.Tanh);
        var parameters = new List<double>();
        for (int l = 0; l < sizes.Length - 1; l++)
        {
            parameters.AddRange(root.GetProperty("weights")[l].EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(e => e.GetDouble()));
            parameters.AddRange(root.GetProperty("biases")[l].EnumerateArray().Select(e => e.GetDouble()));
        }

        var network = FeedForwardNetwork<double>.FromParameters(architecture, parameters.ToArray());
        double[] x = root.GetProperty("x").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(e => e.GetDouble()).ToArray();
        int[] y = root.GetProperty("y").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        double[] expected = root.GetProperty("input_gradient").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(e => e.GetDouble()).ToArray();
        int rows = y.Length, classCount = sizes[^1];
        var evaluator = new NetworkEvaluator<double>(network, new ReferenceGemmProvider(), rows);
        var logits = new double[rows * classCount];
        evaluator.ComputeLogits(x, rows, logits);
        var logitGradient = new double[rows * classCount];
        for (int i = 0; i < rows; i++)
        {
            SoftmaxCrossEntropy.Compute<double>(logits.AsSpan(i * classCount, classCount), y[i], 1.0, logitGradient.AsSpan(i * classCount, classCount));
        }

        var gradient = new double[x.Length];
        evaluator.ComputeInputGradient(x, rows, logitGradient, gradient);
        NumericAssert.Close(expected, gradient, 1e-10, "per-example cross-entropy input gradient");
    }

    [Fact]
    public void ComputeLogits_TooManyRows_ThrowsNamingRows()
    {
        var network = FeedForwardNetwork<float>.Create(new NetworkArchitecture(2, [3], 2, Activation.Relu), WeightInitializer.XavierUniform, new Random(1));
        var evaluator = new NetworkEvaluator<float>(network, new ReferenceGemmProvider(), 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => evaluator.ComputeLogits(new float[6], 3, new float[6]));
        Assert.Equal("rows", error.ParamName);
        Assert.Equal(3, error.ActualValue);
    }

    private static double[] Multiply(double[] left, int leftRows, int inner, double[] right, int rightColumns)
    {
        var result = new double[leftRows * rightColumns];
        for (int r = 0; r < leftRows; r++)
        {
            for (int c = 0; c < rightColumns; c++)
            {
                for (int k = 0; k < inner; k++) result[r * rightColumns + c] += left[r * inner + k] * right[k * rightColumns + c];
            }
        }

        return result;
    }
}
