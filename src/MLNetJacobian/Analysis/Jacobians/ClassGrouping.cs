namespace MLNetJacobian.Analysis;

/// <summary>How examples are grouped into classes in a per-class summary.</summary>
public enum ClassGrouping
{
    /// <summary>By the true label of each example.</summary>
    TrueLabel,

    /// <summary>By the class the model predicts (used when the data has no labels).</summary>
    PredictedClass,
}
