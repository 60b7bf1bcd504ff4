namespace QuickStart;

/// <summary>What the model predicts for one digit.</summary>
public sealed class DigitPrediction
{
    /// <summary>The probability of each class, in the order of the Score column's slot names.</summary>
    public float[] Score { get; set; } = [];

    /// <summary>The predicted digit.</summary>
    public string PredictedLabel { get; set; } = string.Empty;
}
