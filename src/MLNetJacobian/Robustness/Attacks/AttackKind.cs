namespace MLNetJacobian.Robustness;

/// <summary>What an attack uses of the model, which the sanity checks read instead of the attack's type.</summary>
public enum AttackKind
{
    /// <summary>Follows input gradients of a loss (FGSM, PGD, APGD): needs an <see cref="Models.IDifferentiableModel"/>.</summary>
    Gradient,

    /// <summary>Searches with the model's outputs only (Square): attacks any model.</summary>
    BlackBox,

    /// <summary>Crafts inputs on another, differentiable model and scores them on the attacked one.</summary>
    Transfer,

    /// <summary>Random noise, not a search: a baseline every real attack should beat.</summary>
    Noise,
}
