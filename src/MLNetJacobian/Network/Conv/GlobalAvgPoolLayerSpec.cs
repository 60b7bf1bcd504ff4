using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>Global average pooling: one mean per channel, <c>[C, H, W] -> [C, 1, 1]</c>. Text: <c>globalavgpool</c>.</summary>
public sealed record GlobalAvgPoolLayerSpec : LayerSpec
{
    /// <inheritdoc />
    public override bool NeedsImage => true;

    /// <inheritdoc />
    public override string ToString() => "globalavgpool";

    internal override LayerShape OutputShape(LayerShape input) => LayerShape.Of(new ImageShape(input.Image!.Channels, 1, 1));

    internal override ILayer<T> CreateLayer<T>(LayerShape input) => AvgPool2DLayer<T>.Global(input.Image!);
}
