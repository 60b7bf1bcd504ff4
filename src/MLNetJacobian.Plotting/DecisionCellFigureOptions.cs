using MLNetJacobian.Network;

namespace MLNetJacobian.Plotting;

/// <summary>Settings of <see cref="DecisionCellFigure"/>.</summary>
public sealed record DecisionCellFigureOptions
{
    /// <summary>The side of each map, in pixels (at least 64). Default 300.</summary>
    public int PanelSize { get; init; } = 300;

    /// <summary>A title over the whole figure; null for none.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// When the features are an image: draw a strip under the maps with x, d1, d2 and the points
    /// <c>x +- R d1</c>, <c>x +- R d2</c> as images, each point with every model's prediction. Null for no strip.
    /// </summary>
    public ImageShape? ImageShape { get; init; }

    /// <summary>The side of each strip image, in pixels (at least 16). Default 84.</summary>
    public int StripImageSize { get; init; } = 84;
}
