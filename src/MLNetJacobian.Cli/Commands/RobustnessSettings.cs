using System.ComponentModel;
using MLNetJacobian.Cli.Modeling;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Commands;

/// <summary>The data and attack options of <c>evaluate</c>.</summary>
internal class RobustnessSettings : DataSettings, IRobustnessSettings
{
    [CommandOption("--split <PART>")]
    [Description("Which rows to attack: Test, Train or All.")]
    [DefaultValue(Data.DataSplit.Test)]
    public Data.DataSplit Split { get; set; } = Data.DataSplit.Test;

    [CommandOption("--epsilons <LIST>")]
    [Description("Attack strengths (radii of the L-inf ball, in feature units), comma-separated.")]
    [DefaultValue("0.05,0.1,0.2,0.3")]
    public string Epsilons { get; set; } = "0.05,0.1,0.2,0.3";

    [CommandOption("--attacks <LIST>")]
    [Description(AttackOptionText.Attacks)]
    [DefaultValue("Standard")]
    public string Attacks { get; set; } = "Standard";

    [CommandOption("--noise-sigmas <LIST>")]
    [Description(AttackOptionText.NoiseSigmas)]
    public string? NoiseSigmas { get; set; }

    [CommandOption("--noise-draws <K>")]
    [Description(AttackOptionText.NoiseDraws)]
    [DefaultValue(5)]
    public int NoiseDraws { get; set; } = 5;

    [CommandOption("--no-noise-clip")]
    [Description(AttackOptionText.NoNoiseClip)]
    public bool NoNoiseClip { get; set; }

    [CommandOption("--pgd-steps <N>")]
    [Description(AttackOptionText.PgdSteps)]
    public int? PgdSteps { get; set; }

    [CommandOption("--pgd-step-size <FRACTION>")]
    [Description(AttackOptionText.PgdStepSize)]
    public double? PgdStepSize { get; set; }

    [CommandOption("--square-queries <N>")]
    [Description(AttackOptionText.SquareQueries)]
    public int? SquareQueries { get; set; }

    [CommandOption("--perturb <FEATURES>")]
    [Description("Binary and regression: the features attacks may move, comma-separated (header names, or the feature column's slot names); every other feature keeps its value. Default: the numeric features (a categorical column's one-hot slots stay fixed).")]
    public string? Perturb { get; set; }

    [CommandOption("--eps-scale <SCALE>")]
    [Description("Binary and regression: the unit of --epsilons and --noise-sigmas, Std (each feature's standard deviation over the training rows) or Raw (feature units). Default: Std.")]
    public EpsilonScale? EpsScale { get; set; }

    [CommandOption("--attack-rows <N>")]
    [Description("Attack at most the first N rows of the part. Default: all.")]
    public int? AttackRows { get; set; }

    [CommandOption("--bisection-steps <N>")]
    [Description("Bisection steps of the per-example minimal-perturbation search; 0 turns it off.")]
    [DefaultValue(8)]
    public int BisectionSteps { get; set; } = 8;

    [CommandOption("--no-sanity-checks")]
    [Description("Skip the evaluator's sanity checks (they rerun attacks on a subset).")]
    public bool NoSanityChecks { get; set; }

    [CommandOption("--attack-threads <N>")]
    [Description("Threads sharing the attack batches. Default: 2 (or 1 on one core).")]
    public int? AttackThreads { get; set; }

    [CommandOption("-f|--force")]
    [Description("Overwrite existing output files.")]
    public bool Force { get; set; }

    public override ValidationResult Validate()
    {
        ValidationResult data = base.Validate();
        if (!data.Successful) return data;
        return RobustnessRuns.Check(this) is { } error ? ValidationResult.Error(error) : ValidationResult.Success();
    }
}
