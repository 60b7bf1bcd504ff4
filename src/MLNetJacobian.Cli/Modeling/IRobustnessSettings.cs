namespace MLNetJacobian.Cli.Modeling;

/// <summary>The robustness options, shared by the commands that attack models (<c>evaluate</c>, <c>compare</c>).</summary>
internal interface IRobustnessSettings
{
    /// <summary>The attack strengths, comma-separated.</summary>
    string Epsilons { get; }

    /// <summary>A preset (<see cref="AttackSuite"/> name) or a comma-separated list of attack names (<see cref="AttackPlan.Names"/>).</summary>
    string Attacks { get; }

    /// <summary>The Gaussian noise's standard deviations, comma-separated, or null for the evaluator's default.</summary>
    string? NoiseSigmas { get; }

    /// <summary>K, the Gaussian noise draws per example: one-draw accuracy is their mean, worst-of-K their minimum.</summary>
    int NoiseDraws { get; }

    /// <summary>Do not clip noisy inputs to the bounds.</summary>
    bool NoNoiseClip { get; }

    /// <summary>PGD's iterations, or null for the preset's (40 in Standard, 20 otherwise).</summary>
    int? PgdSteps { get; }

    /// <summary>PGD's step as a fraction of epsilon, or null for 2.5 / steps.</summary>
    double? PgdStepSize { get; }

    /// <summary>Square's query budget, or null for the preset's (5,000 in Standard, 1,000 otherwise).</summary>
    int? SquareQueries { get; }

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

    /// <summary>Binary and regression: the features attacks may move (slot names, comma-separated), or null for the numeric ones.</summary>
    string? Perturb { get; }

    /// <summary>Binary and regression: the unit of epsilon and noise, or null for the task's default (std).</summary>
    EpsilonScale? EpsScale { get; }
}

/// <summary>In what units <c>--epsilons</c> (and noise sigmas) are measured for binary classifiers and regressors (<c>--eps-scale</c>).</summary>
public enum EpsilonScale
{
    /// <summary>Each feature's standard deviation over the training rows: epsilon 0.1 moves every feature by a tenth of its own spread.</summary>
    Std,

    /// <summary>Raw feature units, the same for every feature.</summary>
    Raw,
}
