using MLNetJacobian.Analysis;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Analysis;

/// <summary>
/// A small one-hidden-layer tanh network for the analysis tests (a stand-in for this library's networks):
/// <c>z = W2 tanh(W1 x + b1) + b2</c>, exact Jacobian <c>J = W2 diag(1 - h^2) W1</c>.
/// </summary>
internal sealed class TanhTestNetwork : IJacobianModel
{
    private readonly double[] _w1; // [H, D]
    private readonly double[] _b1; // [H]
    private readonly double[] _w2; // [C, H]
    private readonly double[] _b2; // [C]
    private readonly int _hidden;

    public TanhTestNetwork(int featureCount, int hidden, int classCount, int seed, double weightScale = 1.0)
    {
        var random = new Random(seed);
        FeatureCount = featureCount;
        OutputCount = classCount;
        _hidden = hidden;
        _w1 = Fill(hidden * featureCount, weightScale / Math.Sqrt(featureCount));
        _b1 = Fill(hidden, 0.1);
        _w2 = Fill(classCount * hidden, weightScale / Math.Sqrt(hidden));
        _b2 = Fill(classCount, 0.1);
        ClassNames = Enumerable.Range(0, classCount).Select(i => $"class {i}").ToArray();

        double[] Fill(int count, double scale) => Enumerable.Range(0, count).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
    }

    public int FeatureCount { get; }

    public int OutputCount { get; }

    public ModelTask Task => ModelTask.MulticlassClassification;

    public string Description => "tanh test network";

    public bool IsJacobianExact => true;

    public ModelOutputKind OutputKind => ModelOutputKind.Logits;

    public IReadOnlyList<string> ClassNames { get; }

    public int ClassifyCalls { get; private set; }

    public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> scores)
    {
        ClassifyCalls++;
        var logits = new double[OutputCount];
        for (int r = 0; r < rows; r++)
        {
            Forward(Widen(features.Slice(r * FeatureCount, FeatureCount)), logits, hidden: null);
            for (int k = 0; k < OutputCount; k++) scores[r * OutputCount + k] = (float)logits[k];
        }
    }

    public IModel CreateThreadInstance() => this;

    public void ComputeJacobian(ReadOnlySpan<float> features, Span<double> outputs, Span<double> jacobian)
    {
        var hidden = new double[_hidden];
        Forward(Widen(features), outputs, hidden);
        int d = FeatureCount;
        jacobian.Clear();
        for (int k = 0; k < OutputCount; k++)
        {
            for (int h = 0; h < _hidden; h++)
            {
                double scale = _w2[k * _hidden + h] * (1 - hidden[h] * hidden[h]);
                for (int j = 0; j < d; j++) jacobian[k * d + j] += scale * _w1[h * d + j];
            }
        }
    }

    /// <summary>The logits at a double-precision input (for double-precision finite differences in tests).</summary>
    public void ComputeAt(ReadOnlySpan<double> x, Span<double> logits) => Forward(x, logits, hidden: null);

    private static double[] Widen(ReadOnlySpan<float> x)
    {
        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i++) result[i] = x[i];
        return result;
    }

    private void Forward(ReadOnlySpan<double> x, Span<double> logits, double[]? hidden)
    {
        Span<double> h = hidden ?? new double[_hidden];
        for (int i = 0; i < _hidden; i++)
        {
            double sum = _b1[i];
            for (int j = 0; j < FeatureCount; j++) sum += _w1[i * FeatureCount + j] * x[j];
            h[i] = Math.Tanh(sum);
        }

        for (int k = 0; k < OutputCount; k++)
        {
            double sum = _b2[k];
            for (int i = 0; i < _hidden; i++) sum += _w2[k * _hidden + i] * h[i];
            logits[k] = sum;
        }
    }
}
