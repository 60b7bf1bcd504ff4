using Microsoft.ML.Data;

namespace MnistReference;

/// <summary>One MNIST image, standardized, and its digit.</summary>
public sealed class MnistRow
{
    /// <summary>The 784 pixels scaled to [0, 1] and standardized: <c>(p / 255 - 0.1307) / 0.3081</c>.</summary>
    [VectorType(784)]
    public float[] Features { get; set; } = [];

    /// <summary>The digit, "0".."9".</summary>
    public string Label { get; set; } = string.Empty;
}
