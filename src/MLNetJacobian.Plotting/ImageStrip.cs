using MLNetJacobian.Analysis;
using MLNetJacobian.Network;
using System.Globalization;
using SkiaSharp;

namespace MLNetJacobian.Plotting;

/// <summary>
/// The strip under a decision-cell figure for image-shaped features: x, d1, d2, then the points a = x + R d1,
/// b = x - R d1, c = x + R d2, d = x - R d2 with each model's prediction.
/// </summary>
/// <remarks>
/// Inputs and points are drawn dark-on-light over the value range of x (values outside it are clipped), directions in
/// a diverging map (blue negative, white zero, red positive) scaled by their largest magnitude. The channels of a
/// planar image are drawn one under another.
/// Predictions are read from the grids: with an odd resolution the four points are grid points.
/// </remarks>
internal static class ImageStrip
{
    private static readonly SKColor Ink = new(0x22, 0x22, 0x22), MutedInk = new(0x55, 0x55, 0x55);
    private static readonly SKColor Negative = new(0x21, 0x66, 0xAC), Positive = new(0xB2, 0x18, 0x2B);

    public static void Draw(SKCanvas canvas, IReadOnlyList<DecisionCellMap> panels, ImageShape shape, int left, int top, int imageSize)
    {
        DecisionCellMap first = panels[0];
        DecisionPlane plane = first.Plane;
        int d = plane.FeatureCount, n = first.Resolution, middle = n / 2;
        double radius = first.Radius;
        float low = float.PositiveInfinity, high = float.NegativeInfinity;
        foreach (float v in plane.Origin) { low = Math.Min(low, v); high = Math.Max(high, v); }
        if (!(high > low)) high = low + 1;

        using (SKFont bold = FigureText.Font(13, bold: true))
        {
            string models = string.Join(" / ", panels.Select(p => p.ModelName));
            FigureText.Draw(canvas, $"The plane as images (predictions: {models})", left, top + 12, bold, Ink);
        }

        int y = top + 24, step = imageSize + 16;
        string r = radius.ToString("G3", CultureInfo.InvariantCulture);
        var items = new (string Caption, Func<int, SKColor> Pixel, (int Row, int Column)? Grid)[]
        {
            ("x", j => Gray(plane.Origin[j], low, high), (middle, middle)),
            ("d1", Diverging(plane.Direction1), null),
            ("d2", Diverging(plane.Direction2), null),
            ($"a = x + {r} d1", PointPixels(plane, radius, 0, low, high), (middle, n - 1)),
            ($"b = x - {r} d1", PointPixels(plane, -radius, 0, low, high), (middle, 0)),
            ($"c = x + {r} d2", PointPixels(plane, 0, radius, low, high), (0, middle)),
            ($"d = x - {r} d2", PointPixels(plane, 0, -radius, low, high), (n - 1, middle)),
        };

        using SKFont font = FigureText.Font(12);
        for (int i = 0; i < items.Length; i++)
        {
            int x = left + i * step;
            using var bitmap = new SKBitmap(shape.Width, shape.Channels * shape.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            for (int j = 0; j < d; j++) bitmap.SetPixel(j % shape.Width, j / shape.Width, items[i].Pixel(j));
            using SKImage image = SKImage.FromBitmap(bitmap);
            canvas.DrawImage(image, new SKRect(x, y, x + imageSize, y + imageSize), new SKSamplingOptions(SKFilterMode.Nearest));
            using var frame = new SKPaint { Color = new SKColor(0xAA, 0xAA, 0xAA), Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
            canvas.DrawRect(x - 0.5f, y - 0.5f, imageSize + 1, imageSize + 1, frame);
            FigureText.Draw(canvas, items[i].Caption, x, y + imageSize + 16, font, Ink);
            if (items[i].Grid is { } at)
            {
                string predictions = string.Join(" / ", panels.Select(p => p.ClassNames[at.Row == middle && at.Column == middle ? p.CenterClass : p.ClassAt(at.Row, at.Column)]));
                FigureText.Draw(canvas, "\u2192 " + predictions, x, y + imageSize + 32, font, MutedInk);
            }
        }
    }

    private static Func<int, SKColor> PointPixels(DecisionPlane plane, double s, double t, float low, float high)
    {
        var values = new float[plane.FeatureCount];
        plane.PointAt(s, t, values);
        return j => Gray(values[j], low, high);
    }

    private static SKColor Gray(float value, float low, float high)
    {
        float fraction = Math.Clamp((value - low) / (high - low), 0f, 1f);
        byte level = (byte)Math.Round(255 * (1 - fraction));
        return new SKColor(level, level, level);
    }

    private static Func<int, SKColor> Diverging(ReadOnlySpan<double> direction)
    {
        double[] values = direction.ToArray();
        double largest = values.Max(Math.Abs);
        if (!(largest > 0)) largest = 1;
        return j =>
        {
            float fraction = (float)(values[j] / largest);
            return fraction >= 0
                ? DecisionCellFigure.Blend(SKColors.White, Positive, fraction)
                : DecisionCellFigure.Blend(SKColors.White, Negative, -fraction);
        };
    }
}
