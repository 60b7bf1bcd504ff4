using MathNet.Numerics;
using MLNetJacobian.Network;

namespace MLNetJacobian.Tests.Network;

/// <summary>A plain scalar forward pass written independently of the engine, for checks in tests.</summary>
internal static class ReferenceForward
{
    /// <summary>The logits of one input row; <paramref name="preActivations"/> receives every hidden <c>a_l</c>.</summary>
    public static double[] Logits(FeedForwardNetwork<double> network, ReadOnlySpan<double> x, List<double>? preActivations = null)
    {
        IReadOnlyList<int> sizes = network.Architecture.LayerSizes;
        double[] h = x.ToArray();
        for (int l = 0; l + 1 < sizes.Count; l++)
        {
            ReadOnlySpan<double> weights = network.GetWeights(l), biases = network.GetBiases(l);
            var a = new double[sizes[l + 1]];
            for (int o = 0; o < a.Length; o++)
            {
                double sum = biases[o];
                for (int j = 0; j < h.Length; j++) sum += weights[o * h.Length + j] * h[j];
                a[o] = sum;
            }

            if (l + 2 == sizes.Count) return a;
            preActivations?.AddRange(a);
            h = a.Select(value => Activate(network.Architecture.Activation, value)).ToArray();
        }

        throw new InvalidOperationException("A network has at least one dense layer.");
    }

    /// <summary>The activation's value, from its textbook definition.</summary>
    public static double Activate(Activation activation, double a) => activation switch
    {
        Activation.Relu => Math.Max(a, 0),
        Activation.Tanh => Math.Tanh(a),
        Activation.Softplus => Math.Log(1 + Math.Exp(a)),
        Activation.Gelu => 0.5 * a * (1 + SpecialFunctions.Erf(a / Math.Sqrt(2))),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
