using MLNetJacobian.Training;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>One throughput configuration: the hidden widths, the batch size, the objective and the network's ends.</summary>
/// <param name="Hidden">Hidden layer widths of the ReLU network.</param>
/// <param name="BatchSize">Rows per step.</param>
/// <param name="Mode">The objective.</param>
/// <param name="Inputs">D, the input features (784 for MNIST).</param>
/// <param name="Outputs">The outputs: 10 classes for MNIST, 1 for regression (where the penalty is exact).</param>
/// <param name="Layers">A layer list on the 1x28x28 MNIST image (<c>conv-table</c>: LeNet) instead of the ReLU MLP of <paramref name="Hidden"/>, or null.</param>
public sealed record TrainingCase(int[] Hidden, int BatchSize, PenaltyMode Mode, int Inputs = MnistSplit.FeatureCount, int Outputs = MnistSplit.ClassCount,
    string? Layers = null)
{
    /// <summary>lambda of the penalised configurations (the reference's MNIST setting).</summary>
    public const double JacobianWeight = 0.1;

    /// <summary>The subsampling fraction of <see cref="PenaltyMode.Subsampled"/>.</summary>
    public const double SubsampleFraction = 0.25;

    /// <summary>The network, e.g. <c>784-200-200-10</c>.</summary>
    public string NetworkLabel => Layers is null ? $"{Inputs}-{string.Join("-", Hidden)}-{Outputs}" : "LeNet-5";

    /// <summary>The network the engine trains: the layer list on the 1x28x28 image, or the ReLU MLP.</summary>
    internal Network.NetworkArchitecture Architecture => Layers is null
        ? new Network.NetworkArchitecture(Inputs, Hidden, Outputs, Network.Activation.Relu)
        : new Network.NetworkArchitecture(new Network.ImageShape(1, 28, 28), Network.NetworkLayers.Parse(Layers), Outputs);

    /// <summary>The objective as printed in the table.</summary>
    public string ModeLabel => Mode switch
    {
        PenaltyMode.Plain => "plain",
        PenaltyMode.Projection when Outputs == 1 => "JR (exact)",
        PenaltyMode.Projection => "JR n_proj=1",
        PenaltyMode.Subsampled => $"JR p={SubsampleFraction}",
        _ => "JR exact",
    };

    /// <summary>The name the PyTorch peer knows the objective by.</summary>
    public string PeerMode => Mode switch
    {
        PenaltyMode.Plain => "plain",
        PenaltyMode.Projection => "jacobian",
        PenaltyMode.Subsampled => "subsampled",
        _ => "exact",
    };

    /// <summary>The engine's penalty settings for this objective.</summary>
    internal JacobianPenaltyOptions PenaltyOptions => Mode switch
    {
        PenaltyMode.Plain => new JacobianPenaltyOptions(JacobianWeight: 0),
        PenaltyMode.Projection => new JacobianPenaltyOptions(JacobianWeight),
        PenaltyMode.Subsampled => new JacobianPenaltyOptions(JacobianWeight, SampleFraction: SubsampleFraction),
        _ => new JacobianPenaltyOptions(JacobianWeight, ExactNorm: true),
    };

    /// <summary>The multiply-adds of one step per row (forward, backward, penalty passes), for the flop ratios (NaN for a layer list).</summary>
    public double MultiplyAddsPerRow
    {
        get
        {
            if (Layers is not null) return double.NaN;
            int[] sizes = [Inputs, .. Hidden, Outputs];
            double weights = 0, inputGradients = 0, reverse = 0;
            for (int l = 1; l < sizes.Length; l++)
            {
                double layer = (double)sizes[l] * sizes[l - 1];
                weights += layer;
                if (l > 1) inputGradients += layer;
                if (l < sizes.Length - 1) reverse += layer;
            }

            double plain = 2 * weights + inputGradients;
            double perProjection = 2 * weights + reverse;
            return Mode switch
            {
                PenaltyMode.Plain => plain,
                PenaltyMode.Projection => plain + perProjection,
                PenaltyMode.Subsampled => plain + SubsampleFraction * perProjection,
                _ => plain + Outputs * perProjection,
            };
        }
    }
}
