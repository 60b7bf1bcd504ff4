using MLNetJacobian.Network;

namespace MLNetJacobian.Tests.Onnx;

/// <summary>
/// A plain double-precision forward pass of a feedforward classifier, written independently of the library, to
/// check the graphs and pipelines the library builds. Also makes random test networks.
/// </summary>
internal static class ReferenceClassifier
{
    /// <summary>Logits <c>[rows, C]</c> of <paramref name="x"/> <c>[rows, D]</c>.</summary>
    public static double[] Logits(NetworkArchitecture architecture, ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, int rows)
    {
        IReadOnlyList<int> sizes = architecture.LayerSizes;
        double[] current = new double[rows * sizes[0]];
        for (int i = 0; i < current.Length; i++) current[i] = x[i];
        int offset = 0;
        for (int layer = 0; layer + 1 < sizes.Count; layer++)
        {
            int inputs = sizes[layer], outputs = sizes[layer + 1];
            ReadOnlySpan<float> weights = parameters.Slice(offset, outputs * inputs);
            ReadOnlySpan<float> biases = parameters.Slice(offset + outputs * inputs, outputs);
            offset += outputs * inputs + outputs;
            double[] next = new double[rows * outputs];
            bool hidden = layer + 2 < sizes.Count;
            for (int r = 0; r < rows; r++)
            {
                for (int o = 0; o < outputs; o++)
                {
                    double sum = biases[o];
                    for (int i = 0; i < inputs; i++) sum += weights[o * inputs + i] * current[r * inputs + i];
                    next[r * outputs + o] = hidden ? Activate(architecture.Activation, sum) : sum;
                }
            }

            current = next;
        }

        return current;
    }

    /// <summary>Row-wise softmax of logits <c>[rows, C]</c>.</summary>
    public static double[] Softmax(double[] logits, int classes)
    {
        double[] result = new double[logits.Length];
        for (int r = 0; r < logits.Length / classes; r++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++) max = Math.Max(max, logits[r * classes + c]);
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += result[r * classes + c] = Math.Exp(logits[r * classes + c] - max);
            for (int c = 0; c < classes; c++) result[r * classes + c] /= sum;
        }

        return result;
    }

    /// <summary>The index of the largest logit of row <paramref name="row"/> (first on ties).</summary>
    public static int ArgMax(double[] logits, int classes, int row)
    {
        int best = 0;
        for (int c = 1; c < classes; c++) if (logits[row * classes + c] > logits[row * classes + best]) best = c;
        return best;
    }

    /// <summary>Parameters drawn uniformly from <c>[-scale, scale]</c>.</summary>
    public static float[] RandomParameters(NetworkArchitecture architecture, int seed, float scale = 0.5f)
    {
        var random = new Random(seed);
        float[] parameters = new float[architecture.ParameterCount];
        for (int i = 0; i < parameters.Length; i++) parameters[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return parameters;
    }

    private static double Activate(Activation activation, double a) => activation switch
    {
        Activation.Relu => Math.Max(0, a),
        Activation.Tanh => Math.Tanh(a),
        Activation.Softplus => a > 0 ? a + Math.Log(1 + Math.Exp(-a)) : Math.Log(1 + Math.Exp(a)),
        Activation.Gelu => 0.5 * a * (1 + Erf(a / Math.Sqrt(2))),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>erf by its Maclaurin series (|x| &lt; 3) or continued fraction, accurate to ~1e-14 here.</summary>
    private static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (ax < 3)
        {
            // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
            double term = ax, sum = ax;
            for (int n = 1; n < 100; n++)
            {
                term *= -ax * ax / n;
                sum += term / (2 * n + 1);
            }

            return Math.Sign(x) * 2 / Math.Sqrt(Math.PI) * sum;
        }

        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) (Lentz-free backward evaluation)
        double fraction = ax;
        for (int k = 60; k >= 1; k--) fraction = ax + k / 2.0 / fraction;
        double erfc = Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / fraction;
        return Math.Sign(x) * (1 - erfc);
    }
}
