using System.Globalization;
using MLNetJacobian.Analysis;
using Spectre.Console;

namespace MLNetJacobian.Cli.Output;

/// <summary>The analysis comparison as a Spectre.Console table.</summary>
internal static class ComparisonTable
{
    /// <summary>One row per model: accuracy, Jacobian norms, boundary distances, cell share.</summary>
    public static Table Build(ModelComparisonReport report, string title)
    {
        var table = new Table().Title(Markup.Escape(title)).RoundedBorder();
        table.AddColumns("model", "rows", "accuracy", "||J||_F mean", "||J||_F med.", "||J||_2 med.", "||J||_2 p95", "boundary, random", "boundary, gradient", "cell %");
        foreach (TableColumn column in table.Columns.Skip(1)) column.RightAligned();
        foreach (ModelComparisonReport.Row row in report.Models)
        {
            JacobianAnalysisReport.GroupSummary? jacobian = row.Jacobian?.Overall;
            table.AddRow(
                Markup.Escape(row.Name),
                row.ExampleCount.ToString(CultureInfo.InvariantCulture),
                ConsoleTables.Percent(row.Accuracy),
                Number(jacobian?.FrobeniusNorm.Mean),
                Number(jacobian?.FrobeniusNorm.Median),
                Number(jacobian?.SpectralNorm.Median),
                Number(jacobian?.SpectralNorm.Percentile95),
                Median(row.Boundary.RandomDirections, row.Boundary.Options.MaxRadius),
                Median(row.Boundary.GradientDirection, row.Boundary.Options.MaxRadius),
                row.RandomPlaneCellFractions.Count > 0 ? ConsoleTables.Percent(row.RandomPlaneCellFractions.Average()) : "-");
        }

        table.Caption("median distances (L2) to the decision boundary; '>R' when more than half were not found within the radius; cell %: share of the random-plane map in the input's cell");
        return table;
    }

    private static string Median(BoundaryDistanceReport.Summary? summary, double radius) => summary switch
    {
        null => "-",
        { MedianIncludingNotFound: { } median } => median.ToString("G4", CultureInfo.InvariantCulture),
        { FoundCount: var found, NotFoundCount: var notFound } when found + notFound > 0 => ">" + radius.ToString("G3", CultureInfo.InvariantCulture),
        _ => "-",
    };

    private static string Number(double? value) => value is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "-";
}
