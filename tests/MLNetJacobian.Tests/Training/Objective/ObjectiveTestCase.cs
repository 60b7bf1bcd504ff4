using System.Numerics;
using MLNetJacobian.Network;
using MLNetJacobian.Tests.Network;

namespace MLNetJacobian.Tests.Training.Objective;

/// <summary>A small random network and batch for objective tests, reproducible from a seed.</summary>
internal sealed class ObjectiveTestCase
{
    public required FeedForwardNetwork<double> Network { get; init; }
    public required double[] Inputs { get; init; }     // [rows, D]
    public required int[] Labels { get; init; }
    public required double[] Weights { get; init; }    // [rows]
    public required int Rows { get; init; }

    /// <summary>The labels as the objective's targets (class indices as numbers).</summary>
    public double[] Targets => Array.ConvertAll(Labels, label => (double)label);

    /// <summary>
    /// Draws Xavier weights, biases in [-0.3, 0.3], inputs in [-1, 1], labels and example weights in [0.5, 2].
    /// With <paramref name="kinkMargin"/> &gt; 0, redraws the network and inputs until no hidden pre-activation lies within the margin
    /// of 0 (ReLU's kink), so that finite differences never cross it, and until every hidden layer has an active
    /// unit in every row (a dead layer would make the Jacobian, and so the penalty, vanish).
    /// </summary>
    public static ObjectiveTestCase Create(NetworkArchitecture architecture, int rows, int seed, double kinkMargin = 0)
    {
        var random = new Random(seed);
        int inputSize = architecture.InputSize;
        var inputs = new double[rows * inputSize];
        FeedForwardNetwork<double> network;
        for (int attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 10_000, "Could not draw a network and inputs away from the ReLU kinks.");
            network = FeedForwardNetwork<double>.Create(architecture, WeightInitializer.XavierUniform, random);
            IReadOnlyList<int> sizes = architecture.LayerSizes;
            int offset = 0;
            for (int l = 0; l + 1 < sizes.Count; l++)
            {
                offset += sizes[l] * sizes[l + 1];
                for (int o = 0; o < sizes[l + 1]; o++) network.Parameters[offset + o] = 0.6 * random.NextDouble() - 0.3;
                offset += sizes[l + 1];
            }

            for (int j = 0; j < inputs.Length; j++) inputs[j] = 2 * random.NextDouble() - 1;
            if (kinkMargin <= 0 || (MinimumAbsolutePreActivation(network, inputs, rows) > kinkMargin && EveryLayerActive(network, inputs, rows))) break;
        }

        return new ObjectiveTestCase
        {
            Network = network,
            Inputs = inputs,
            Labels = Enumerable.Range(0, rows).Select(_ => random.Next(architecture.OutputSize)).ToArray(),
            Weights = Enumerable.Range(0, rows).Select(_ => 0.5 + 1.5 * random.NextDouble()).ToArray(),
            Rows = rows,
        };
    }

    /// <summary>The smallest <c>|a|</c> over every hidden unit and row.</summary>
    public static double MinimumAbsolutePreActivation(FeedForwardNetwork<double> network, double[] inputs, int rows)
    {
        int inputSize = network.InputSize;
        double minimum = double.PositiveInfinity;
        var preActivations = new List<double>();
        for (int i = 0; i < rows; i++)
        {
            preActivations.Clear();
            ReferenceForward.Logits(network, inputs.AsSpan(i * inputSize, inputSize), preActivations);
            foreach (double a in preActivations) minimum = Math.Min(minimum, Math.Abs(a));
        }

        return minimum;
    }

    /// <summary>Whether every hidden layer has at least one positive pre-activation in every row.</summary>
    public static bool EveryLayerActive(FeedForwardNetwork<double> network, double[] inputs, int rows)
    {
        int inputSize = network.InputSize;
        var preActivations = new List<double>();
        for (int i = 0; i < rows; i++)
        {
            preActivations.Clear();
            ReferenceForward.Logits(network, inputs.AsSpan(i * inputSize, inputSize), preActivations);
            int offset = 0;
            foreach (int width in network.Architecture.HiddenLayers)
            {
                if (!preActivations.Skip(offset).Take(width).Any(a => a > 0)) return false;
                offset += width;
            }
        }

        return true;
    }

    /// <summary>Projections drawn on the unit sphere from a seed, <c>[P, rows, C]</c>.</summary>
    public static T[] DrawProjections<T>(int projectionCount, int rows, int classCount, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var vectors = new T[projectionCount * rows * classCount];
        new MLNetJacobian.Training.UnitSphereProjectionSource<T>().Fill(vectors, projectionCount, rows, classCount, new Random(seed));
        return vectors;
    }
}
