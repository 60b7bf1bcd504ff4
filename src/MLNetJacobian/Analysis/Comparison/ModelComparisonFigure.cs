using System.Text.Json.Serialization;

namespace MLNetJacobian.Analysis;

/// <summary>The decision-cell maps of every compared model on one plane through one example.</summary>
/// <param name="Example">The row of the data the plane passes through.</param>
/// <param name="FileName">The PNG file name the figure is saved under (<c>cells-example{row}-random.png</c> or <c>-singular.png</c>).</param>
/// <param name="Title">The figure's title.</param>
/// <param name="Grids">One grid per model, in the models' order, all on the same plane and radius (not written to JSON).</param>
public sealed record ModelComparisonFigure(int Example, string FileName, string Title, [property: JsonIgnore] IReadOnlyList<DecisionCellGrid> Grids);
