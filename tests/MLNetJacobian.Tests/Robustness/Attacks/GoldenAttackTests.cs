using System.Text.Json;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Robustness;
using MLNetJacobian.Models;
using MLNetJacobian.Tests.Models;

namespace MLNetJacobian.Tests.Robustness;

/// <summary>
/// The golden attack case (shared/data/golden/attacks_tanh_6_8_3.json, computed independently with PyTorch in
/// float64): FGSM and PGD without random start, L-inf and L2, reproduced by the attacks on the same tanh MLP, both
/// on a double-precision test double and on this library's float network through <see cref="NetworkModel<float>"/>.
/// </summary>
public sealed class GoldenAttackTests
{
    // The attacks run in float: one rounding of a value in [0, 1] is 6e-8, and ten PGD steps of additions and
    // projections accumulate a few of those, so 1e-5 leaves a wide margin while catching any wrong update rule.
    private const double Tolerance = 1e-5;

    private sealed record Golden(IDifferentiableModel Model, float[] X, int[] Y, int Rows, JsonElement Root);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InputGradient_GoldenMlp_MatchesPyTorch(bool engine)
    {
        Golden golden = Load(engine);
        int d = golden.Model.FeatureCount;
        var gradient = new float[golden.Rows * d];
        golden.Model.ComputeLossGradient(golden.X, golden.Y, golden.Rows, ILogitLoss.CrossEntropy,
            new float[golden.Rows * golden.Model.OutputCount], new float[golden.Rows], gradient);
        AssertClose(Matrix(golden.Root.GetProperty("input_gradient")), gradient);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fgsm_LInfinityGolden_MatchesPyTorch(bool engine) =>
        AssertAttack(engine, PgdAttack.Fgsm(PerturbationNorm.LInfinity), "fgsm_linf", "fgsm_linf");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fgsm_L2Golden_MatchesPyTorch(bool engine) =>
        AssertAttack(engine, PgdAttack.Fgsm(PerturbationNorm.L2), "fgsm_l2", predictionKey: null);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pgd_LInfinityGolden_MatchesPyTorch(bool engine) =>
        AssertAttack(engine, new PgdAttack(PerturbationNorm.LInfinity, steps: 10, randomStart: false) { AbsoluteStepSize = 0.02f }, "pgd_linf", "pgd_linf");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pgd_L2Golden_MatchesPyTorch(bool engine) =>
        AssertAttack(engine, new PgdAttack(PerturbationNorm.L2, steps: 10, randomStart: false) { AbsoluteStepSize = 0.1f }, "pgd_l2", "pgd_l2");

    private static void AssertAttack(bool engine, PgdAttack configured, string key, string? predictionKey)
    {
        Golden golden = Load(engine);
        JsonElement expected = golden.Root.GetProperty(key);
        float eps = (float)expected.GetProperty("eps").GetDouble();
        // The golden file holds the last iterate of every example (including the clean-misclassified ones).
        PgdAttack attack = configured.AbsoluteStepSize is { } step
            ? new PgdAttack(configured.PerturbationNorm, configured.Steps, configured.RelativeStepSize, false) { AbsoluteStepSize = step, ReturnFirstAdversarial = false }
            : new PgdAttack(configured.PerturbationNorm, configured.Steps, configured.RelativeStepSize, false) { ReturnFirstAdversarial = false };
        var adversarial = new float[golden.X.Length];
        attack.CreateWorker(golden.Model, new InputBounds(0, 1), golden.Rows)
            .Run(golden.X, golden.Y, Enumerable.Repeat(eps, golden.Rows).ToArray(), golden.Rows, new Random(0), adversarial);
        AssertClose(Matrix(expected.GetProperty("x_adv")), adversarial);

        if (predictionKey is not null)
        {
            int[] predicted = golden.Root.GetProperty("predicted_after").GetProperty(predictionKey).EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var scores = new float[golden.Rows * golden.Model.OutputCount];
            golden.Model.ComputeOutputs(adversarial, golden.Rows, scores);
            for (int i = 0; i < golden.Rows; i++)
            {
                Assert.Equal(predicted[i], ArgMax(scores.AsSpan(i * golden.Model.OutputCount, golden.Model.OutputCount)));
            }
        }
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
        return best;
    }

    private static Golden Load(bool engine)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SharedData.PathOf("golden", "attacks_tanh_6_8_3.json")));
        JsonElement root = document.RootElement.Clone();
        int[] sizes = root.GetProperty("layer_sizes").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        double[][] weights = root.GetProperty("weights").EnumerateArray()
            .Select(layer => layer.EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetDouble())).ToArray()).ToArray();
        double[][] biases = root.GetProperty("biases").EnumerateArray().Select(layer => layer.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        float[] x = Matrix(root.GetProperty("x")).Select(v => (float)v).ToArray();
        int[] y = root.GetProperty("y").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        if (!engine) return new Golden(new TinyMlp(sizes, weights, biases), x, y, y.Length, root);
        // The engine's parameter layout: per dense layer W [out, in] row-major, then b [out].
        float[] parameters = weights.Zip(biases, (w, b) => w.Concat(b)).SelectMany(v => v).Select(v => (float)v).ToArray();
        var architecture = new NetworkArchitecture(sizes[0], sizes[1..^1], sizes[^1], Activation.Tanh);
        var network = FeedForwardNetwork<float>.FromParameters(architecture, parameters);
        return new Golden(new NetworkModel<float>(network, gemm: new ReferenceGemmProvider(), maxBatchSize: 2), x, y, y.Length, root);
    }

    private static double[] Matrix(JsonElement element) =>
        element.EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetDouble())).ToArray();

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(expected[k] - actual[k]) <= Tolerance, $"Element {k}: expected {expected[k]}, got {actual[k]}.");
        }
    }
}
