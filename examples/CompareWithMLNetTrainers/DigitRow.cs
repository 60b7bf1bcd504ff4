using Microsoft.ML.Data;

namespace CompareWithMLNetTrainers;

/// <summary>One digit: 64 pixels in [0, 1] and the digit as text.</summary>
public sealed class DigitRow
{
    /// <summary>The 8 x 8 pixels, row-major, scaled to [0, 1].</summary>
    [VectorType(64)]
    public float[] Features { get; set; } = [];

    /// <summary>The digit, "0".."9".</summary>
    public string Label { get; set; } = string.Empty;
}
