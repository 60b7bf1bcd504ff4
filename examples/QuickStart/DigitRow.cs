using Microsoft.ML.Data;

namespace QuickStart;

/// <summary>One 8 x 8 digit: 64 pixel values and its class name.</summary>
public sealed class DigitRow
{
    /// <summary>The pixels, row by row, 0..16.</summary>
    [VectorType(64)]
    public float[] Features { get; set; } = [];

    /// <summary>The digit, "0".."9".</summary>
    public string Label { get; set; } = string.Empty;
}
