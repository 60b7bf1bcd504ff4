namespace MLNetJacobian.Analysis;

/// <summary>What the outputs differentiated by an <see cref="IJacobianSource"/> are.</summary>
public enum JacobianOutputKind
{
    /// <summary>Unnormalized logits <c>z</c> (this library's networks, linear models' raw scores).</summary>
    Logits,

    /// <summary>
    /// Whatever an ML.NET model writes to its Score column: class probabilities for maximum entropy and LightGbm
    /// multiclass models, a raw margin for binary classifiers.
    /// </summary>
    Scores,
}
