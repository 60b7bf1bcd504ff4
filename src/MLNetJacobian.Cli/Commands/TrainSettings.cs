using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Commands;

/// <summary>The options of <c>train</c>.</summary>
internal sealed class TrainSettings : TrainerSettings
{
    [CommandOption("-o|--model <PATH>")]
    [Description("The ML.NET model zip to write.")]
    [DefaultValue("model.zip")]
    public string ModelPath { get; set; } = "model.zip";

    [CommandOption("--history <PATH>")]
    [Description("The training history JSON to write. Default: beside the model, <model>.history.json.")]
    public string? HistoryPath { get; set; }

    [CommandOption("--curves <PATH>")]
    [Description("The learning-curve PNG to write. Default: beside the model, <model>.curves.png.")]
    public string? CurvesPath { get; set; }

    [CommandOption("-f|--force")]
    [Description("Overwrite existing output files.")]
    public bool Force { get; set; }

    /// <summary>The history path, explicit or derived from the model path.</summary>
    public string HistoryOrDefault => HistoryPath ?? Sibling(ModelPath, ".history.json");

    /// <summary>The curves path, explicit or derived from the model path.</summary>
    public string CurvesOrDefault => CurvesPath ?? Sibling(ModelPath, ".curves.png");

    public override ValidationResult Validate()
    {
        ValidationResult trainer = base.Validate();
        if (!trainer.Successful) return trainer;
        if (!ModelPath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            return ValidationResult.Error($"--model '{ModelPath}' must end in .zip (an ML.NET model is a zip file).");
        }

        return ValidationResult.Success();
    }

    /// <summary><paramref name="path"/> with its extension replaced by <paramref name="suffix"/>.</summary>
    public static string Sibling(string path, string suffix) =>
        Path.Combine(Path.GetDirectoryName(path) ?? string.Empty, Path.GetFileNameWithoutExtension(path) + suffix);
}
