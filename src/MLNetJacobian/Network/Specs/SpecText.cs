using System.Globalization;

namespace MLNetJacobian.Network;

/// <summary>The pieces of the layer text form shared by the specifications: <c>N</c> or <c>HxW</c> pairs and their checks.</summary>
internal static class SpecText
{
    /// <summary><c>5</c> when both values are equal, else <c>5x3</c> (height then width).</summary>
    public static string Pair(int height, int width) =>
        height == width ? height.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{height}x{width}");

    /// <summary>Reads <c>N</c> or <c>HxW</c>; false unless both are integers.</summary>
    public static bool TryParsePair(string text, out int height, out int width)
    {
        string[] parts = text.Split('x', 'X');
        width = 0;
        height = 0;
        if (parts.Length > 2 || !int.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out height)) return false;
        if (parts.Length == 1)
        {
            width = height;
            return true;
        }

        return int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out width);
    }

    /// <summary>Throws unless both values are at least <paramref name="minimum"/>.</summary>
    public static void RequireAtLeast(int height, int width, int minimum, string what, string parameter)
    {
        if (height < minimum || width < minimum)
        {
            throw new ArgumentOutOfRangeException(parameter, $"{height}x{width}",
                $"The {what} must be at least {minimum} on each axis; {Pair(height, width)} was given.");
        }
    }
}
