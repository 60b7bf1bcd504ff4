using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Commands;

/// <summary>The options of <c>analyze</c>.</summary>
internal sealed class AnalyzeSettings : AnalysisSettings
{
    [CommandOption("-m|--model <PATH>")]
    [Description("An ML.NET multiclass model zip; repeat to analyze several side by side on the same planes.")]
    public string[] Models { get; set; } = [];

    [CommandOption("--name <NAME>")]
    [Description("A name per --model for tables and figures (default: the file name).")]
    public string[] Names { get; set; } = [];

    [CommandOption("-o|--output <FOLDER>")]
    [Description("The folder for comparison.txt, comparison.json and the decision-cell PNGs.")]
    [DefaultValue("mlnet-jacobian-analysis")]
    public string Output { get; set; } = "mlnet-jacobian-analysis";

    public override ValidationResult Validate()
    {
        ValidationResult analysis = base.Validate();
        if (!analysis.Successful) return analysis;
        if (Models.Length == 0) return ValidationResult.Error("--model is required: give the ML.NET model zip to analyze (repeat it for several).");
        if (Names.Length != 0 && Names.Length != Models.Length)
        {
            return ValidationResult.Error($"--name is given {Names.Length} times for {Models.Length} --model; give one name per model or none.");
        }

        return ValidationResult.Success();
    }
}
