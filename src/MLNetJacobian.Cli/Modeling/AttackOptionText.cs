namespace MLNetJacobian.Cli.Modeling;

/// <summary>The help texts of the attack options that <c>evaluate</c> and <c>compare</c> share (one wording in one place).</summary>
internal static class AttackOptionText
{
    public const string Attacks =
        "A preset, Quick (noise, FGSM, PGD-20), QuickWithSquare (adds Square-1000) or Standard (uniform noise, noise, FGSM, PGD-40, APGD-CE, APGD-DLR, Square-5000), " +
        "or a comma-separated list of noise, uniform, fgsm, pgd, apgd-ce, apgd-dlr, square.";

    public const string NoiseSigmas = "The Gaussian noise's standard deviations (feature units), comma-separated. Default: 0.1, 0.2, 0.3 and 0.5 times the bounds' range.";

    public const string NoiseDraws =
        "K, Gaussian noise draws per example. Reported: the one-draw accuracy (mean over the K draws, with its standard error) and, beside it, worst-of-K (fooled by any draw).";

    public const string NoNoiseClip = "Do not clip noisy inputs to the bounds (as an evaluation that adds noise to standardized inputs does).";

    public const string PgdSteps = "PGD's iterations. Default: 40 in Standard, 20 otherwise.";

    public const string PgdStepSize = "PGD's step as a fraction of epsilon. Default: 2.5 / steps.";

    public const string SquareQueries = "The Square attack's query budget. Default: 5000 in Standard, 1000 otherwise.";
}
