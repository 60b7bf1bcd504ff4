namespace MLNetJacobian.Cli.Modeling;

/// <summary>The output columns of ML.NET classifiers and regressors.</summary>
internal static class ModelColumns
{
    /// <summary>The vector of class scores.</summary>
    public const string Score = "Score";

    /// <summary>The predicted class.</summary>
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>A calibrated binary classifier's probability of true.</summary>
    public const string Probability = "Probability";
}
