namespace MLNetJacobian.Cli.Modeling;

/// <summary>ML.NET's own multiclass trainers that <c>compare</c> can train beside the Jacobian-regularized networks.</summary>
public enum BaselineTrainer
{
    /// <summary>Multinomial logistic regression, L-BFGS (<c>LbfgsMaximumEntropy</c>): attacked white-box through its weights.</summary>
    LbfgsMaximumEntropy,

    /// <summary>Multinomial logistic regression, SDCA (<c>SdcaMaximumEntropy</c>): attacked white-box through its weights.</summary>
    SdcaMaximumEntropy,

    /// <summary>Gradient-boosted trees (<c>LightGbm</c>): no gradient, attacked by noise and the black-box Square attack.</summary>
    LightGbm,
}
