using System.Globalization;

namespace MLNetJacobian.Network;

/// <summary>
/// The shape of an image input, <c>channels x height x width</c>, stored channel-major (planar): feature
/// <c>(c * Height + y) * Width + x</c>, the layout ML.NET's <c>ExtractPixels</c> writes by default
/// (<c>interleavePixelColors: false</c>). Interleaved pixels (<c>RGBRGB...</c>) are not detected: a network would
/// read them as planes of mixed colors, so extract pixels planar.
/// </summary>
public sealed record ImageShape
{
    /// <summary>Creates and validates a shape.</summary>
    /// <param name="channels">Planes (1 for gray, 3 for color); at least 1.</param>
    /// <param name="height">Rows of pixels; at least 1.</param>
    /// <param name="width">Pixels per row; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size below 1, or more than <see cref="int.MaxValue"/> features.</exception>
    public ImageShape(int channels, int height, int width)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image needs at least 1 channel.");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "An image needs a height of at least 1.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "An image needs a width of at least 1.");
        long count = (long)channels * height * width;
        if (count > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(channels), count, $"The image {channels}x{height}x{width} has more than {int.MaxValue} features.");
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>Planes.</summary>
    public int Channels { get; }

    /// <summary>Rows of pixels.</summary>
    public int Height { get; }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Pixels per plane, <c>Height * Width</c>.</summary>
    public int PlaneSize => Height * Width;

    /// <summary>The number of features, <c>Channels * Height * Width</c>.</summary>
    public int FeatureCount => Channels * Height * Width;

    /// <summary>Parses <c>CxHxW</c>, as <see cref="ToString"/> writes it (for example <c>1x28x28</c>).</summary>
    /// <param name="text">The shape.</param>
    /// <exception cref="FormatException">The text is not three positive integers separated by <c>x</c>.</exception>
    public static ImageShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().Split('x', 'X');
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1))
        {
            throw new FormatException($"'{text}' is not an image shape; write channels x height x width, for example 1x28x28.");
        }

        int[] values = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new ImageShape(values[0], values[1], values[2]);
    }

    /// <summary><c>CxHxW</c>, for example <c>1x28x28</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Channels}x{Height}x{Width}");
}
