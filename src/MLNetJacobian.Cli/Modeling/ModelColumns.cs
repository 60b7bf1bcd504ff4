namespace MLNetJacobian.Cli.Modeling;

/// <summary>The output columns of ML.NET multiclass classifiers.</summary>
internal static class ModelColumns
{
    /// <summary>The vector of class scores.</summary>
    public const string Score = "Score";

    /// <summary>The predicted class.</summary>
    public const string PredictedLabel = "PredictedLabel";
}
