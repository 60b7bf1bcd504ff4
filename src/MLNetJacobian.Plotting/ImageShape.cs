namespace MLNetJacobian.Plotting;

/// <summary>The layout of image-shaped features: <c>D = Width * Height</c>, row-major (feature <c>y * Width + x</c>).</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
public sealed record ImageShape(int Width, int Height)
{
    /// <summary>D, the number of features.</summary>
    public int FeatureCount => Width * Height;
}
