namespace MLNetJacobian.Cli.Modeling;

/// <summary>The robustness options, shared by the commands that attack models (<c>evaluate</c>, <c>compare</c>).</summary>
internal interface IRobustnessSettings
{
    /// <summary>The attack strengths, comma-separated.</summary>
    string Epsilons { get; }

    /// <summary>The attacks.</summary>
    AttackSuite Attacks { get; }

    /// <summary>At most this many rows attacked, or null for all.</summary>
    int? AttackRows { get; }

    /// <summary>Bisection steps of the minimal-perturbation search (0 turns it off).</summary>
    int BisectionSteps { get; }

    /// <summary>Skip the sanity checks.</summary>
    bool NoSanityChecks { get; }

    /// <summary>Threads of the evaluator, or null for its default.</summary>
    int? AttackThreads { get; }

    /// <summary>The seed.</summary>
    int Seed { get; }
}
