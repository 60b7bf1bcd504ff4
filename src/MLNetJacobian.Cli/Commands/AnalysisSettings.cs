using System.ComponentModel;
using System.Globalization;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Commands;

/// <summary>The Jacobian-analysis and decision-cell options that <c>analyze</c> and <c>compare</c> share.</summary>
internal class AnalysisSettings : DataSettings
{
    [CommandOption("--split <PART>")]
    [Description("Which rows to analyze and attack: Test, Train or All.")]
    [DefaultValue(DataSplit.Test)]
    public DataSplit Split { get; set; } = DataSplit.Test;

    [CommandOption("--examples <ROWS>")]
    [Description("The rows (0-based, of the analyzed part) drawn as decision-cell maps, comma-separated, or 'none' for no maps.")]
    [DefaultValue("0,1,2")]
    public string Examples { get; set; } = "0,1,2";

    [CommandOption("--statistics-rows <N>")]
    [Description("Rows for accuracy and the Jacobian statistics.")]
    [DefaultValue(500)]
    public int StatisticsRows { get; set; } = 500;

    [CommandOption("--boundary-rows <N>")]
    [Description("Rows searched for the distance to the decision boundary.")]
    [DefaultValue(200)]
    public int BoundaryRows { get; set; } = 200;

    [CommandOption("--radius <R>")]
    [Description("The half-width of each decision-cell map and the largest boundary distance searched (L2, feature units).")]
    [DefaultValue(3.0)]
    public double Radius { get; set; } = 3.0;

    [CommandOption("--resolution <N>")]
    [Description("Grid points per side of each decision-cell map.")]
    [DefaultValue(161)]
    public int Resolution { get; set; } = 161;

    [CommandOption("--finite-difference-step <H>")]
    [Description("The central-difference step for models without exact Jacobians (loaded zips, ML.NET trainers), as a fraction of each feature's range over the analyzed rows (the step of feature j is H x (max_j - min_j)).")]
    [DefaultValue(FiniteDifferenceJacobian.DefaultRelativeStep)]
    public double FiniteDifferenceStep { get; set; } = FiniteDifferenceJacobian.DefaultRelativeStep;

    [CommandOption("-f|--force")]
    [Description("Overwrite existing output files.")]
    public bool Force { get; set; }

    /// <summary>The rows of <see cref="Examples"/> (none for 'none').</summary>
    public int[] ExampleRows() => NoExamples
        ? []
        : Examples.Split(',').Select(item => int.Parse(item.Trim(), NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();

    private bool NoExamples => string.Equals(Examples.Trim(), "none", StringComparison.OrdinalIgnoreCase);

    public override ValidationResult Validate()
    {
        ValidationResult data = base.Validate();
        if (!data.Successful) return data;
        foreach (string item in NoExamples ? [] : Examples.Split(','))
        {
            if (!int.TryParse(item.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return ValidationResult.Error($"--examples '{Examples}' must be comma-separated row numbers (0-based) or 'none'; '{item.Trim()}' is not.");
            }
        }

        if (StatisticsRows < 1) return ValidationResult.Error($"--statistics-rows {StatisticsRows} must be at least 1.");
        if (BoundaryRows < 1) return ValidationResult.Error($"--boundary-rows {BoundaryRows} must be at least 1.");
        if (!(Radius > 0 && double.IsFinite(Radius))) return ValidationResult.Error($"--radius {Format(Radius)} must be finite and greater than 0.");
        if (Resolution < 3 || Resolution > 1001) return ValidationResult.Error($"--resolution {Resolution} must be in [3, 1001].");
        if (!(FiniteDifferenceStep > 0 && FiniteDifferenceStep < 1)) return ValidationResult.Error($"--finite-difference-step {Format(FiniteDifferenceStep)} must be in (0, 1).");
        return ValidationResult.Success();
    }
}
