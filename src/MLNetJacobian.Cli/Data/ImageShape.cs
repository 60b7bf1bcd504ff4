namespace MLNetJacobian.Cli.Data;

/// <summary>The width and height of image-shaped features (row-major pixels), for pictures.</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows of pixels.</param>
internal sealed record ImageShape(int Width, int Height);
