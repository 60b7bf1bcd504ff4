using Microsoft.ML.Data;

namespace ExistingApp;

/// <summary>A digit with its true class, for measuring robustness.</summary>
public sealed class LabeledDigit
{
    /// <summary>The 8 x 8 pixels, row-major, scaled to [0, 1].</summary>
    [VectorType(64)]
    public float[] Features { get; set; } = [];

    /// <summary>The digit 0-9; also the class index, since the model's classes are "0".."9" in order.</summary>
    public float Label { get; set; }
}
