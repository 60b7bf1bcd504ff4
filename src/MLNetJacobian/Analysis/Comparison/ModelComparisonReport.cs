using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetJacobian.IO;
using static MLNetJacobian.Analysis.ReportText;

namespace MLNetJacobian.Analysis;

/// <summary>Several models side by side: accuracy, Jacobian statistics, boundary distances and decision-cell maps.</summary>
/// <param name="Models">One row per model, in the order given.</param>
/// <param name="Figures">The decision-cell maps of every model on each plane (drawn by the MLNetJacobian.Plotting assembly).</param>
public sealed record ModelComparisonReport(IReadOnlyList<ModelComparisonReport.Row> Models, IReadOnlyList<ModelComparisonReport.Figure> Figures)
{
    /// <summary>The name of the table <see cref="Save"/> writes.</summary>
    public const string TextFileName = "comparison.txt";

    /// <summary>The name of the JSON file <see cref="Save"/> writes.</summary>
    public const string JsonFileName = "comparison.json";

    /// <summary>The report as indented JSON: summaries and the least stable examples, no per-example lists.</summary>
    public string ToJson() => JsonSerializer.Serialize(this with
    {
        Models = Models.Select(m => m with { Jacobian = m.Jacobian is { } j ? j with { Examples = [] } : null, Boundary = m.Boundary with { Examples = [] } }).ToArray(),
    }, ReportJson.Options);

    /// <summary>Writes <see cref="ToJson"/> atomically.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="overwrite">Replace an existing file (the default, as <c>mlContext.Model.Save</c> does; the write is atomic, so a failure leaves the old file whole); false to refuse one.</param>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
    public void SaveJson(string path, bool overwrite = true) => AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ToJson()), overwrite);

    /// <summary>
    /// Writes <see cref="TextFileName"/> (this table, then each model's Jacobian statistics) and <see cref="JsonFileName"/>
    /// into a folder, each atomically, creating the folder when needed.
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <param name="overwrite">Replace existing files (the default, as <c>mlContext.Model.Save</c> does; each write is atomic); false to refuse them.</param>
    /// <returns>The full paths of the two files.</returns>
    /// <exception cref="IOException">A file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
    public IReadOnlyList<string> Save(string directory, bool overwrite = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var text = new StringBuilder(ToString());
        foreach (Row row in Models.Where(r => r.Jacobian is not null))
        {
            text.AppendLine().AppendLine(Invariant($"== {row.Name}")).Append(row.Jacobian!.ToString());
        }

        string textPath = Path.GetFullPath(Path.Combine(directory, TextFileName)), jsonPath = Path.GetFullPath(Path.Combine(directory, JsonFileName));
        AtomicFile.WriteAllBytes(textPath, Encoding.UTF8.GetBytes(text.ToString()), overwrite);
        SaveJson(jsonPath, overwrite);
        return [textPath, jsonPath];
    }

    /// <summary>One line per model: accuracy, median Jacobian norms, median boundary distances, mean cell share.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"{"model",-22} {"n",5} {"accuracy",8} | {"||J||_F med",11} {"||J||_2 med",11} {"||J||_2 p95",11} | {"random med*",11} {"nearest med*",12} {"gradient med*",13} | {"cell %",6}"));
        foreach (Row row in Models)
        {
            JacobianAnalysisReport.GroupSummary? jacobian = row.Jacobian?.Overall;
            string cell = row.RandomPlaneCellFractions.Count > 0 ? (100 * row.RandomPlaneCellFractions.Average()).ToString("F1", CultureInfo.InvariantCulture) : "-";
            text.AppendLine(Invariant(
                $"{Clip(row.Name, 22),-22} {row.ExampleCount,5} {row.Accuracy,8:F4} | {Number(jacobian?.FrobeniusNorm.Median),11} {Number(jacobian?.SpectralNorm.Median),11} {Number(jacobian?.SpectralNorm.Percentile95),11} | {Median(row.Boundary.RandomDirections),11} {Median(row.Boundary.NearestRandomDirection),12} {Median(row.Boundary.GradientDirection),13} | {cell,6}"));
        }

        text.AppendLine("med* = median distance to the decision boundary (L2), 'not found within the radius' counted as beyond it ('>R' when more than half);");
        text.AppendLine("nearest = per example, the nearest boundary over its random directions; cell % = share of the random-plane map inside the input's cell.");
        foreach (Row row in Models)
        {
            foreach (string notice in row.Boundary.Notices) text.AppendLine(Invariant($"note ({row.Name}): {notice}"));
        }

        return text.ToString();
    }

    private static string Median(BoundaryDistanceReport.Summary? summary) => summary?.MedianText() ?? "-";

    /// <summary>One model's line in a the report.</summary>
    /// <param name="Name">The model's name.</param>
    /// <param name="ExampleCount">The rows used for accuracy and Jacobian statistics.</param>
    /// <param name="Accuracy">The fraction of those rows classified correctly.</param>
    /// <param name="Jacobian">The Jacobian statistics; null when the model has no Jacobian source.</param>
    /// <param name="Boundary">The boundary distances.</param>
    /// <param name="RandomPlaneCellFractions">For each figure example, the share of the random-plane map in the input's cell.</param>
    public sealed record Row(
        string Name, int ExampleCount, double Accuracy, JacobianAnalysisReport? Jacobian, BoundaryDistanceReport Boundary,
        IReadOnlyList<double> RandomPlaneCellFractions);

    /// <summary>The decision-cell maps of every compared model on one plane through one example.</summary>
    /// <param name="Example">The row of the data the plane passes through.</param>
    /// <param name="FileName">The PNG file name the figure is saved under (<c>cells-example{row}-random.png</c> or <c>-singular.png</c>).</param>
    /// <param name="Title">The figure's title.</param>
    /// <param name="Maps">One map per model, in the models' order, all on the same plane and radius (not written to JSON).</param>
    public sealed record Figure(int Example, string FileName, string Title, [property: JsonIgnore] IReadOnlyList<DecisionCellMap> Maps);
}
