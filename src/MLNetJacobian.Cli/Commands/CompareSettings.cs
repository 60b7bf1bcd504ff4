using System.ComponentModel;
using System.Globalization;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Trainers;
using MLNetJacobian.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Commands;

/// <summary>The options of <c>compare</c>: the trainer's, the models to compare, and the attacks.</summary>
internal sealed class CompareSettings : TrainerSettings, IRobustnessSettings
{
    [CommandOption("--lambdas <LIST>")]
    [Description("Train one Jacobian-regularized network per lambda (comma-separated); the other trainer options apply to each.")]
    [TrainerDefault(nameof(JacobianRegularizedTrainer.Options.JacobianWeight), Format = "0,{0}")]
    public string Lambdas { get; set; } = "";

    [CommandOption("--baseline <TRAINER>")]
    [Description("An ML.NET trainer to compare with; repeat for several. Multiclass: LbfgsMaximumEntropy (default), SdcaMaximumEntropy, LightGbm; binary: LbfgsLogisticRegression (default), SdcaLogisticRegression, FastTree, LightGbm; regression: Sdca (default), FastTree, LightGbm.")]
    public BaselineTrainer[] Baselines { get; set; } = [];

    [CommandOption("--no-baseline")]
    [Description("Train no ML.NET baseline.")]
    public bool NoBaseline { get; set; }

    [CommandOption("-m|--model <PATH>")]
    [Description("An ML.NET model zip to include (loaded, not trained; of the data's task); repeat for several.")]
    public string[] Models { get; set; } = [];

    [CommandOption("--split <PART>")]
    [Description("Which rows to attack: Test, Train or All.")]
    [DefaultValue(DataSplit.Test)]
    public DataSplit Split { get; set; } = DataSplit.Test;

    [CommandOption("--epsilons <LIST>")]
    [Description("Attack strengths (L-inf radii, feature units), comma-separated.")]
    [DefaultValue("0.05,0.1,0.2,0.3")]
    public string Epsilons { get; set; } = "0.05,0.1,0.2,0.3";

    [CommandOption("--headline-epsilon <EPSILON>")]
    [Description("The strength shown in the table (the plot shows all).")]
    [DefaultValue(0.1)]
    public double HeadlineEpsilon { get; set; } = 0.1;

    [CommandOption("--training-seeds <N>")]
    [Description("Also train each lambda's network with N - 1 more seeds and report its clean and one-draw noise accuracy over the N seeds (noise robustness varies between seeds).")]
    [DefaultValue(1)]
    public int TrainingSeeds { get; set; } = 1;

    [CommandOption("--headline-sigma <SIGMA>")]
    [Description("The Gaussian noise sigma shown in the table (one draw, mean ± s.e. over --noise-draws, and worst-of-K).")]
    [DefaultValue(0.3)]
    public double HeadlineSigma { get; set; } = 0.3;

    [CommandOption("--attacks <LIST>")]
    [Description(AttackOptionText.Attacks)]
    [DefaultValue("QuickWithSquare")]
    public string Attacks { get; set; } = "QuickWithSquare";

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
    [Description("Bisection steps of the minimal-perturbation search; 0 turns it off.")]
    [DefaultValue(0)]
    public int BisectionSteps { get; set; }

    [CommandOption("--no-sanity-checks")]
    [Description("Skip the evaluator's sanity checks.")]
    public bool NoSanityChecks { get; set; }

    [CommandOption("--attack-threads <N>")]
    [Description("Threads sharing the attack batches. Default: 2 (or 1 on one core).")]
    public int? AttackThreads { get; set; }

    [CommandOption("--jacobian-rows <N>")]
    [Description("Rows over which the mean ||J||_F (multiclass) or the mean Score-gradient norm ||dScore/dx|| (binary, regression) is measured.")]
    [DefaultValue(200)]
    public int JacobianRows { get; set; } = 200;

    [CommandOption("--finite-difference-step <H>")]
    [Description("The central-difference step for models without exact Jacobians (LightGbm, loaded zips), as a fraction of each feature's range over the analyzed rows (the step of feature j is H x (max_j - min_j)).")]
    [DefaultValue(FiniteDifferenceJacobian.DefaultRelativeStep)]
    public double FiniteDifferenceStep { get; set; } = FiniteDifferenceJacobian.DefaultRelativeStep;

    [CommandOption("-o|--output <FOLDER>")]
    [Description("The folder for compare.json, compare.png and each model's robustness report.")]
    [DefaultValue("mlnet-jacobian-compare")]
    public string Output { get; set; } = "mlnet-jacobian-compare";

    [CommandOption("--save-models")]
    [Description("Also write each trained model's zip into the output folder.")]
    public bool SaveModels { get; set; }

    [CommandOption("-f|--force")]
    [Description("Overwrite existing output files.")]
    public bool Force { get; set; }

    /// <summary>The lambdas to train.</summary>
    public double[] LambdaValues() => Lambdas.Trim().Length == 0 ? [] : ParseNumbers(Lambdas, "--lambdas");

    /// <summary>The baselines to train for <paramref name="task"/> (the task's default when none is given).</summary>
    /// <exception cref="CliException">A baseline does not serve the task.</exception>
    public IReadOnlyList<BaselineTrainer> BaselineTrainers(LearningTask task = LearningTask.Multiclass) =>
        NoBaseline ? [] : BaselinePipeline.Check(Baselines.Distinct().ToArray(), Baselines.Length == 0, task);

    public override ValidationResult Validate()
    {
        ValidationResult trainer = base.Validate();
        if (!trainer.Successful) return trainer;
        double[] lambdas;
        try
        {
            lambdas = LambdaValues();
        }
        catch (CliException exception)
        {
            return ValidationResult.Error(exception.Message);
        }

        foreach (double lambda in lambdas)
        {
            if (lambda < 0) return ValidationResult.Error($"--lambdas '{Lambdas}' must hold values of at least 0; {Format(lambda)} is not.");
        }

        if (lambdas.Distinct().Count() != lambdas.Length) return ValidationResult.Error($"--lambdas '{Lambdas}' repeats a value.");
        if (NoBaseline && Baselines.Length > 0) return ValidationResult.Error("--no-baseline and --baseline contradict each other.");
        if (lambdas.Length + (NoBaseline ? 0 : Math.Max(1, Baselines.Distinct().Count())) + Models.Length < 2)
        {
            return ValidationResult.Error("compare needs at least two models: give --lambdas, --baseline or --model.");
        }

        if (!(HeadlineEpsilon >= 0)) return ValidationResult.Error($"--headline-epsilon {Format(HeadlineEpsilon)} must be at least 0.");
        if (TrainingSeeds < 1) return ValidationResult.Error($"--training-seeds {TrainingSeeds} must be at least 1.");
        if (TrainingSeeds > 1 && lambdas.Length == 0) return ValidationResult.Error($"--training-seeds {TrainingSeeds} applies to the networks of --lambdas; none is trained.");
        if (!(HeadlineSigma >= 0 && double.IsFinite(HeadlineSigma))) return ValidationResult.Error($"--headline-sigma {Format(HeadlineSigma)} must be finite and at least 0.");
        if (JacobianRows < 1) return ValidationResult.Error($"--jacobian-rows {JacobianRows} must be at least 1.");
        if (!(FiniteDifferenceStep > 0 && FiniteDifferenceStep < 1)) return ValidationResult.Error($"--finite-difference-step {Format(FiniteDifferenceStep)} must be in (0, 1).");
        return RobustnessRuns.Check(this) is { } error ? ValidationResult.Error(error) : ValidationResult.Success();
    }

    /// <summary>The name of a network trained with <paramref name="lambda"/>.</summary>
    public static string NameOf(double lambda) => string.Create(CultureInfo.InvariantCulture, $"lambda {lambda}");
}
