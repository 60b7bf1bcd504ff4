namespace MLNetJacobian.Models;

/// <summary>
/// What a model predicts, which fixes how its outputs become a prediction: the task of every model adapter, and of
/// this library's trainers and the networks they train (their head, loss, label type and output columns).
/// </summary>
public enum ModelTask
{
    /// <summary>C classes, C outputs; the predicted class is the arg-max (the first on ties).</summary>
    MulticlassClassification,

    /// <summary>Two classes, one output (a logit or margin); class 1 when it is positive.</summary>
    BinaryClassification,

    /// <summary>One output, the predicted value; no classes.</summary>
    Regression,
}
