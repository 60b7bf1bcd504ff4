using SkiaSharp;

namespace MLNetJacobian.Plotting;

/// <summary>Fonts and text drawing for the figures: a common sans-serif family when installed, else Skia's default.</summary>
internal static class FigureText
{
    private static readonly Lazy<SKTypeface> Regular = new(() => Find(SKFontStyle.Normal));
    private static readonly Lazy<SKTypeface> Bold = new(() => Find(SKFontStyle.Bold));

    public static SKFont Font(float size, bool bold = false) => new(bold ? Bold.Value : Regular.Value, size);

    public static void Draw(SKCanvas canvas, string text, float x, float y, SKFont font, SKColor color, SKTextAlign align = SKTextAlign.Left)
    {
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        canvas.DrawText(text, x, y, align, font, paint);
    }

    public static float Width(string text, SKFont font) => font.MeasureText(text);

    private static SKTypeface Find(SKFontStyle style)
    {
        foreach (string family in new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Segoe UI", "Noto Sans" })
        {
            SKTypeface? typeface = SKFontManager.Default.MatchFamily(family, style);
            if (typeface is not null && typeface.GlyphCount > 0) return typeface;
        }

        return SKTypeface.Default;
    }
}
