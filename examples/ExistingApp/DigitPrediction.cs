namespace ExistingApp;

/// <summary>What the model returns: the predicted class name and one probability per class.</summary>
public sealed class DigitPrediction
{
    /// <summary>The predicted class, as the training data named it.</summary>
    public string PredictedLabel { get; set; } = string.Empty;

    /// <summary>Class probabilities, in the order of the Score column's slot names.</summary>
    public float[] Score { get; set; } = [];
}
