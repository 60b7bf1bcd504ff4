namespace MLNetJacobian.Network;

/// <summary>
/// The shape at a boundary between layers: <see cref="Width"/> values per row, and the image they form
/// (<see cref="Image"/>), or null after a dense layer (a flat vector).
/// </summary>
internal readonly record struct LayerShape(int Width, ImageShape? Image)
{
    public static LayerShape Of(ImageShape image) => new(image.FeatureCount, image);

    public static LayerShape Flat(int width) => new(width, null);

    public override string ToString() => Image is { } image ? $"image {image}" : $"vector of {Width}";
}
