using System.ComponentModel;
using System.Globalization;
using MLNetJacobian.Trainers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Commands;

/// <summary>The options of <c>demo</c>; every one has a default, so <c>demo</c> runs with no argument.</summary>
internal sealed class DemoSettings : CommandSettings
{
    /// <summary>Sets <see cref="Lambda"/> to the trainer's default (Spectre.Console.Cli sets it again when parsing).</summary>
    public DemoSettings() => TrainerDefaultAttribute.ApplyDefaults(this);

    [CommandOption("-o|--output <FOLDER>")]
    [Description("The folder for every file the demo writes. Default: a fresh ./mlnet-jacobian-demo-<timestamp>.")]
    public string? Output { get; set; }

    [CommandOption("-f|--force")]
    [Description("Write into --output even when it holds files (replacing the demo's own).")]
    public bool Force { get; set; }

    [CommandOption("--lambda <LAMBDA>")]
    [Description("The Jacobian weight of the regularized model (the other is trained with 0).")]
    [TrainerDefault(nameof(JacobianRegularizedTrainer.Options.JacobianWeight))]
    public double Lambda { get; set; }

    [CommandOption("--epochs <N>")]
    [Description("Training epochs of each model.")]
    [DefaultValue(40)]
    public int Epochs { get; set; } = 40;

    [CommandOption("--hidden-layers <WIDTHS>")]
    [Description("Hidden layer widths of both models, comma-separated.")]
    [DefaultValue("64,64")]
    public string HiddenLayers { get; set; } = "64,64";

    [CommandOption("--attack-rows <N>")]
    [Description("Attack at most the first N test rows. Default: all 359.")]
    public int? AttackRows { get; set; }

    [CommandOption("--quick")]
    [Description("A smaller run for CI and smoke tests: 3 epochs, 100 attacked rows, coarser maps, one example drawn.")]
    public bool Quick { get; set; }

    [CommandOption("--seed <SEED>")]
    [Description("The seed of the split, the initialization and the attacks.")]
    [DefaultValue(1)]
    public int Seed { get; set; } = 1;

    /// <summary>The epochs to train (fewer with <see cref="Quick"/>).</summary>
    public int EffectiveEpochs => Quick ? Math.Min(Epochs, 3) : Epochs;

    /// <summary>The rows attacked (fewer with <see cref="Quick"/>).</summary>
    public int? EffectiveAttackRows => Quick ? Math.Min(AttackRows ?? 100, 100) : AttackRows;

    public override ValidationResult Validate()
    {
        if (!(Lambda > 0 && double.IsFinite(Lambda))) return ValidationResult.Error($"--lambda {Lambda.ToString("G", CultureInfo.InvariantCulture)} must be finite and greater than 0 (the other model is trained with 0).");
        if (Epochs < 1) return ValidationResult.Error($"--epochs {Epochs} must be at least 1.");
        if (AttackRows is int rows && rows < 1) return ValidationResult.Error($"--attack-rows {rows} must be at least 1.");
        try
        {
            TrainerSettings.ParseHiddenLayers(HiddenLayers);
        }
        catch (CliException exception)
        {
            return ValidationResult.Error(exception.Message);
        }

        return ValidationResult.Success();
    }
}
