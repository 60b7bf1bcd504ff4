using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Commands;

/// <summary>The options of <c>evaluate</c>.</summary>
internal sealed class EvaluateSettings : RobustnessSettings
{
    [CommandOption("-m|--model <PATH>")]
    [Description("The ML.NET model zip to evaluate (this library's or any other trainer's): a multiclass classifier (attacked), or a binary classifier or regressor (its metrics: accuracy, AUC, F1, log-loss; RMSE, MAE, R^2).")]
    public string? ModelPath { get; set; }

    [CommandOption("--report <PATH>")]
    [Description("The robustness report JSON to write. Default: beside the model, <model>.robustness.json.")]
    public string? ReportPath { get; set; }

    [CommandOption("--plot <PATH>")]
    [Description("The accuracy-versus-epsilon PNG to write (multiclass and binary). Default: beside the model, <model>.robustness.png.")]
    public string? PlotPath { get; set; }

    [CommandOption("--metrics <PATH>")]
    [Description("Binary and regression: the metrics JSON to write (accuracy, AUC, F1, log-loss; RMSE, MAE, R^2). Default: beside the model, <model>.metrics.json.")]
    public string? MetricsPath { get; set; }

    /// <summary>The metrics path, explicit or derived from the model path.</summary>
    public string MetricsOrDefault => MetricsPath ?? TrainSettings.Sibling(ModelPath!, ".metrics.json");

    /// <summary>The report path, explicit or derived from the model path.</summary>
    public string ReportOrDefault => ReportPath ?? TrainSettings.Sibling(ModelPath!, ".robustness.json");

    /// <summary>The plot path, explicit or derived from the model path.</summary>
    public string PlotOrDefault => PlotPath ?? TrainSettings.Sibling(ModelPath!, ".robustness.png");

    public override ValidationResult Validate()
    {
        ValidationResult robustness = base.Validate();
        if (!robustness.Successful) return robustness;
        return ModelPath is null
            ? ValidationResult.Error("--model is required: give the ML.NET model zip to evaluate.")
            : ValidationResult.Success();
    }
}
