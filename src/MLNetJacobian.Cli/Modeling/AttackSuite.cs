namespace MLNetJacobian.Cli.Modeling;

/// <summary>The sets of attacks the tool runs.</summary>
public enum AttackSuite
{
    /// <summary>Gaussian noise (one draw), FGSM and PGD-20, all L-inf except the noise: seconds on small data.</summary>
    Quick,

    /// <summary><see cref="Quick"/> plus the black-box Square attack (1,000 queries), which also attacks models without gradients.</summary>
    QuickWithSquare,

    /// <summary>The evaluator's default suite: noise, FGSM, PGD-40, APGD-CE, APGD-DLR and Square-5000.</summary>
    Standard,
}
