using MLNetJacobian.Analysis;

namespace MLNetJacobian.Plotting;

/// <summary>Draws the decision-cell maps of a <see cref="ModelComparisonReport"/> as PNG files.</summary>
public static class ModelComparisonFigures
{
    /// <summary>
    /// Writes one <see cref="DecisionCellFigure"/> per entry of <see cref="ModelComparisonReport.Figures"/> into a folder,
    /// under the entry's <see cref="ModelComparisonReport.Figure.FileName"/> and with its title, each atomically.
    /// </summary>
    /// <param name="report">The comparison.</param>
    /// <param name="directory">The folder (created when needed).</param>
    /// <param name="options">Sizes and the optional image strip; its <c>Title</c> is replaced by each figure's own. Null for the defaults.</param>
    /// <param name="overwrite">Replace existing files (the default, as <c>mlContext.Model.Save</c> does; each write is atomic); false to refuse them.</param>
    /// <returns>The full paths of the files written, in the report's order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty, or <paramref name="options"/> does not fit the grids (see <see cref="DecisionCellFigure"/>).</exception>
    /// <exception cref="IOException">A file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
    public static IReadOnlyList<string> SaveFigures(this ModelComparisonReport report, string directory, DecisionCellFigureOptions? options = null, bool overwrite = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new DecisionCellFigureOptions();
        var written = new List<string>(report.Figures.Count);
        foreach (ModelComparisonReport.Figure figure in report.Figures)
        {
            string path = Path.GetFullPath(Path.Combine(directory, figure.FileName));
            new DecisionCellFigure(figure.Maps, options with { Title = figure.Title }).SavePng(path, overwrite);
            written.Add(path);
        }

        return written;
    }
}
