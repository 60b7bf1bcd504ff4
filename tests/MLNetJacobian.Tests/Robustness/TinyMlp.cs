using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Robustness;

/// <summary>
/// A test double: a small tanh MLP (<c>h_{l+1} = tanh(W_l h_l + b_l)</c>, linear last layer) that is a
/// differentiable classifier, computed in double and returned in float. Stands in for the library's network
/// until the engine lands, and reproduces the golden attack file's model.
/// </summary>
internal sealed class TinyMlp : IDifferentiableModel
{
    private readonly double[][] _weights; // W_l: [out, in] row-major
    private readonly double[][] _biases;  // b_l: [out]
    private readonly int[] _sizes;

    public TinyMlp(int[] sizes, double[][] weights, double[][] biases)
    {
        _sizes = sizes;
        _weights = weights;
        _biases = biases;
    }

    public int FeatureCount => _sizes[0];

    public int OutputCount => _sizes[^1];

    public ModelTask Task => ModelTask.MulticlassClassification;

    public ModelOutputKind OutputKind => ModelOutputKind.Logits;

    public IReadOnlyList<string> ClassNames => Enumerable.Range(0, OutputCount).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public string Description => $"test tanh MLP {string.Join("-", _sizes)}";

    public int ForwardCount { get; private set; }

    public static TinyMlp Random(int[] sizes, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        var weights = new double[sizes.Length - 1][];
        var biases = new double[sizes.Length - 1][];
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            weights[l] = new double[sizes[l + 1] * sizes[l]];
            biases[l] = new double[sizes[l + 1]];
            double std = scale / Math.Sqrt(sizes[l]);
            for (int k = 0; k < weights[l].Length; k++) weights[l][k] = std * (2 * random.NextDouble() - 1) * Math.Sqrt(3);
            for (int k = 0; k < biases[l].Length; k++) biases[l][k] = 0.1 * (2 * random.NextDouble() - 1);
        }

        return new TinyMlp(sizes, weights, biases);
    }

    public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> scores)
    {
        for (int i = 0; i < rows; i++)
        {
            double[][] activations = Forward(features.Slice(i * FeatureCount, FeatureCount));
            for (int k = 0; k < OutputCount; k++) scores[i * OutputCount + k] = (float)activations[^1][k];
        }
    }

    public void ComputeInputGradient(ReadOnlySpan<float> features, int rows, IOutputGradient seed, Span<float> logits, Span<float> inputGradient)
    {
        ComputeOutputs(features, rows, logits);
        var logitGradient = new float[rows * OutputCount];
        seed.Compute(0, rows, logits[..(rows * OutputCount)], logitGradient);
        for (int i = 0; i < rows; i++)
        {
            double[][] h = Forward(features.Slice(i * FeatureCount, FeatureCount));
            double[] delta = new double[OutputCount];
            for (int k = 0; k < OutputCount; k++) delta[k] = logitGradient[i * OutputCount + k];
            for (int l = _weights.Length - 1; l >= 0; l--)
            {
                int input = _sizes[l], output = _sizes[l + 1];
                var previous = new double[input];
                for (int o = 0; o < output; o++)
                {
                    for (int j = 0; j < input; j++) previous[j] += _weights[l][o * input + j] * delta[o];
                }

                if (l > 0)
                {
                    for (int j = 0; j < input; j++) previous[j] *= 1 - h[l][j] * h[l][j];
                }

                delta = previous;
            }

            for (int j = 0; j < FeatureCount; j++) inputGradient[i * FeatureCount + j] = (float)delta[j];
        }
    }

    public IModel CreateThreadInstance() => new TinyMlp(_sizes, _weights, _biases);

    private double[][] Forward(ReadOnlySpan<float> x)
    {
        ForwardCount++;
        var h = new double[_sizes.Length][];
        h[0] = new double[FeatureCount];
        for (int j = 0; j < FeatureCount; j++) h[0][j] = x[j];
        for (int l = 0; l + 1 < _sizes.Length; l++)
        {
            int input = _sizes[l], output = _sizes[l + 1];
            h[l + 1] = new double[output];
            for (int o = 0; o < output; o++)
            {
                double a = _biases[l][o];
                for (int j = 0; j < input; j++) a += _weights[l][o * input + j] * h[l][j];
                h[l + 1][o] = l + 2 < _sizes.Length ? Math.Tanh(a) : a;
            }
        }

        return h;
    }
}
