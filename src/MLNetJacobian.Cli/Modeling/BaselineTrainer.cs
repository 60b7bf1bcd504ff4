namespace MLNetJacobian.Cli.Modeling;

/// <summary>ML.NET's own trainers that <c>compare</c> can train beside the Jacobian-regularized networks, for each task.</summary>
public enum BaselineTrainer
{
    /// <summary>Multiclass: multinomial logistic regression, L-BFGS (<c>LbfgsMaximumEntropy</c>): attacked white-box through its weights.</summary>
    LbfgsMaximumEntropy,

    /// <summary>Multiclass: multinomial logistic regression, SDCA (<c>SdcaMaximumEntropy</c>): attacked white-box through its weights.</summary>
    SdcaMaximumEntropy,

    /// <summary>Every task: gradient-boosted trees (<c>LightGbm</c>): no gradient, attacked by noise and the black-box Square attack.</summary>
    LightGbm,

    /// <summary>Binary and regression: gradient-boosted trees (<c>FastTree</c>).</summary>
    FastTree,

    /// <summary>Binary: logistic regression, L-BFGS (<c>LbfgsLogisticRegression</c>).</summary>
    LbfgsLogisticRegression,

    /// <summary>Binary: logistic regression, SDCA (<c>SdcaLogisticRegression</c>).</summary>
    SdcaLogisticRegression,

    /// <summary>Regression: linear least squares, SDCA (<c>Sdca</c>).</summary>
    Sdca,
}
