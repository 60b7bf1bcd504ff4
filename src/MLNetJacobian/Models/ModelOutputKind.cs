namespace MLNetJacobian.Models;

/// <summary>What a model's outputs are, which says what its Jacobian differentiates.</summary>
public enum ModelOutputKind
{
    /// <summary>Unnormalized logits <c>z</c> (this library's networks, linear models' raw scores), or a regression value.</summary>
    Logits,

    /// <summary>
    /// Whatever an ML.NET model writes to its Score column: class probabilities for maximum entropy and LightGbm
    /// multiclass models, a raw margin for binary classifiers, the value for regression.
    /// </summary>
    Scores,
}
