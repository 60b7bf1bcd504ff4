using Microsoft.ML.Data;

namespace ExistingApp;

/// <summary>What the app feeds the model: 64 pixels in [0, 1]. No label: scoring needs none.</summary>
public sealed class DigitInput
{
    /// <summary>The 8 x 8 pixels, row-major, scaled to [0, 1].</summary>
    [VectorType(64)]
    public float[] Features { get; set; } = [];
}
