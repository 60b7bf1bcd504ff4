using MLNetJacobian.Analysis;
using MLNetJacobian.Network;
using MLNetJacobian.IO;
using System.Globalization;
using SkiaSharp;

namespace MLNetJacobian.Plotting;

/// <summary>
/// A PNG picture of decision cells: one map per model on the same plane, side by side, one colour per predicted
/// class, the input marked at the centre, a scale bar, a legend with the class names, and optionally a strip
/// showing the input, the directions and points of the plane as images.
/// </summary>
/// <remarks>
/// Each map shows the <see cref="DecisionCellMap"/> of a model: horizontal axis <c>s</c> along d1, vertical axis
/// <c>t</c> along d2 (up), both over <c>[-R, R]</c>; thin dark lines mark class boundaries. The strip's points
/// a, b, c, d are <c>x + R d1</c>, <c>x - R d1</c>, <c>x + R d2</c>, <c>x - R d2</c> (marked on the maps); under each,
/// the class every model predicts there, in panel order. Drawn with SkiaSharp.
/// </remarks>
public sealed class DecisionCellFigure
{
    private const int Margin = 20, AxisLabelWidth = 20, PanelGap = 28, HeaderHeight = 46, BelowHeight = 40, LegendWidth = 160, FootHeight = 24;
    private static readonly SKColor Ink = new(0x22, 0x22, 0x22), MutedInk = new(0x55, 0x55, 0x55);
    private readonly IReadOnlyList<DecisionCellMap> _panels;
    private readonly DecisionCellFigureOptions _options;
    private readonly int _stripHeight;
    private readonly IReadOnlyList<string> _titleLines;
    private readonly int _gap;            // between panels and before the legend: wider when a caption is wider than its panel
    private readonly string _footText;

    /// <summary>Lays out a figure.</summary>
    /// <param name="panels">One grid per model, all on the same plane and radius, with the same class names.</param>
    /// <param name="options">Sizes, title and the optional image strip; null for the defaults.</param>
    /// <exception cref="ArgumentException">No panel, panels on different planes, radii or class names, or an image shape that does not match D.</exception>
    public DecisionCellFigure(IReadOnlyList<DecisionCellMap> panels, DecisionCellFigureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("At least one panel is needed.", nameof(panels));
        options ??= new DecisionCellFigureOptions();
        if (options.PanelSize < 64) throw new ArgumentOutOfRangeException(nameof(options), options.PanelSize, "PanelSize must be at least 64 pixels.");
        if (options.StripImageSize < 16) throw new ArgumentOutOfRangeException(nameof(options), options.StripImageSize, "StripImageSize must be at least 16 pixels.");
        DecisionCellMap first = panels[0];
        foreach (DecisionCellMap panel in panels)
        {
            if (!ReferenceEquals(panel.Plane, first.Plane) || panel.Radius != first.Radius)
            {
                throw new ArgumentException($"Panel '{panel.ModelName}' is on another plane or radius than '{first.ModelName}'; compute every panel on the same DecisionPlane and radius.", nameof(panels));
            }

            if (!panel.ClassNames.SequenceEqual(first.ClassNames))
            {
                throw new ArgumentException($"Panel '{panel.ModelName}' has classes [{string.Join(", ", panel.ClassNames)}], unlike '{first.ModelName}'.", nameof(panels));
            }
        }

        if (options.ImageShape is { } shape && shape.FeatureCount != first.Plane.FeatureCount)
        {
            throw new ArgumentException($"The image shape {shape} holds {shape.FeatureCount} features; the plane has D = {first.Plane.FeatureCount}.", nameof(options));
        }

        _panels = panels;
        _options = options;
        LegendClasses = panels.SelectMany(p => p.PresentClasses).Distinct().Order().ToArray();
        LegendEntries = LegendClasses.Select(c => first.ClassNames[c]).ToArray();
        _stripHeight = options.ImageShape is null ? 0 : 30 + options.StripImageSize + 44;
        // A caption wider than its panel (a small panel, long class names) widens the gaps so it never runs into the
        // next panel or the legend; the line under the panels widens the picture rather than leaving it.
        using (SKFont small = FigureText.Font(12))
        {
            float caption = panels.Max(p => FigureText.Width(Caption(p), small));
            _gap = PanelGap + Math.Max(0, (int)Math.Ceiling(caption) - options.PanelSize);
            _footText = FootText(first);
            FootWidth = (int)Math.Ceiling(FigureText.Width(_footText, small));
        }

        int panelsWidth = panels.Count * (AxisLabelWidth + options.PanelSize) + (panels.Count - 1) * _gap + _gap + LegendWidth;
        int stripWidth = options.ImageShape is null ? 0 : 7 * (options.StripImageSize + 16);
        Width = 2 * Margin + Math.Max(Math.Max(panelsWidth, stripWidth), FootWidth);
        // A title wider than the panels (one narrow panel, a long model name) wraps onto more lines rather than
        // running off the right edge.
        _titleLines = options.Title is null ? [] : WrapTitle(options.Title, Width - 2 * Margin);
        Height = 2 * Margin + TitleHeight + HeaderHeight + options.PanelSize + BelowHeight + FootHeight + _stripHeight;
    }

    /// <summary>The picture's width in pixels.</summary>
    public int Width { get; }

    /// <summary>The picture's height in pixels.</summary>
    public int Height { get; }

    /// <summary>The classes listed in the legend (every class predicted somewhere on any map), ascending.</summary>
    public IReadOnlyList<int> LegendClasses { get; }

    /// <summary>The legend's class names, in the order of <see cref="LegendClasses"/>.</summary>
    public IReadOnlyList<string> LegendEntries { get; }

    private int TitleHeight => _titleLines.Count == 0 ? 0 : 10 + TitleLineHeight * _titleLines.Count;

    private const int TitleLineHeight = 24, TitleFontSize = 18;

    private static List<string> WrapTitle(string title, int width)
    {
        using SKFont font = FigureText.Font(TitleFontSize, bold: true);
        var lines = new List<string>();
        foreach (string paragraph in title.Split('\n'))
        {
            string line = "";
            foreach (string word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string longer = line.Length == 0 ? word : line + " " + word;
                if (line.Length > 0 && FigureText.Width(longer, font) > width)
                {
                    lines.Add(line);
                    line = word;
                }
                else
                {
                    line = longer;
                }
            }

            lines.Add(line);
        }

        return lines;
    }

    /// <summary>Renders the figure as PNG bytes.</summary>
    public byte[] ToPng()
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using (SKFont font = FigureText.Font(TitleFontSize, bold: true))
        {
            for (int line = 0; line < _titleLines.Count; line++)
            {
                FigureText.Draw(canvas, _titleLines[line], Margin, Margin + 20 + line * TitleLineHeight, font, Ink);
            }
        }

        int top = Margin + TitleHeight + HeaderHeight;
        for (int i = 0; i < _panels.Count; i++)
        {
            int left = Margin + i * (AxisLabelWidth + _options.PanelSize + _gap) + AxisLabelWidth;
            DrawPanel(canvas, _panels[i], left, top);
        }

        DrawLegend(canvas, Margin + _panels.Count * (AxisLabelWidth + _options.PanelSize) + (_panels.Count - 1) * _gap + _gap, top);
        using (SKFont font = FigureText.Font(12))
        {
            FigureText.Draw(canvas, _footText, Margin, top + _options.PanelSize + BelowHeight + 14, font, MutedInk);
        }

        if (_options.ImageShape is { } shape)
        {
            ImageStrip.Draw(canvas, _panels, shape, Margin, top + _options.PanelSize + BelowHeight + FootHeight + 8, _options.StripImageSize);
        }

        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Writes the PNG atomically.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="overwrite">Replace an existing file (the default, as <c>mlContext.Model.Save</c> does; the write is atomic, so a failure leaves the old file whole); false to refuse one.</param>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false.</exception>
    public void SavePng(string path, bool overwrite = true) => AtomicFile.WriteAllBytes(path, ToPng(), overwrite);

    private static string Caption(DecisionCellMap grid) => string.Create(CultureInfo.InvariantCulture,
        $"x is '{grid.ClassNames[grid.CenterClass]}'; its cell covers {100 * grid.CenterCellFraction:F1}% of the square");

    private static string FootText(DecisionCellMap first)
    {
        string radius = first.Radius.ToString("G3", CultureInfo.InvariantCulture);
        return $"Plane x + s d1 + t d2 through the input x, {first.Plane.Description}; s, t in [-{radius}, {radius}] (feature units).";
    }

    private int FootWidth { get; }

    private void DrawPanel(SKCanvas canvas, DecisionCellMap grid, int left, int top)
    {
        int size = _options.PanelSize, n = grid.Resolution, classCount = grid.ClassNames.Count;
        using (SKFont bold = FigureText.Font(15, bold: true))
        using (SKFont small = FigureText.Font(12))
        {
            FigureText.Draw(canvas, grid.ModelName, left, top - 26, bold, Ink);
            FigureText.Draw(canvas, Caption(grid), left, top - 9, small, MutedInk);
        }

        // Pixel (px, py) shows grid point (round(py (n-1)/(size-1)), round(px (n-1)/(size-1))).
        var cellOf = new int[size];
        for (int p = 0; p < size; p++) cellOf[p] = (int)Math.Round(p * (n - 1) / (double)(size - 1));
        using var bitmap = new SKBitmap(size, size, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (int py = 0; py < size; py++)
        {
            for (int px = 0; px < size; px++)
            {
                int predicted = grid.ClassAt(cellOf[py], cellOf[px]);
                bool edge = (px + 1 < size && grid.ClassAt(cellOf[py], cellOf[px + 1]) != predicted)
                            || (py + 1 < size && grid.ClassAt(cellOf[py + 1], cellOf[px]) != predicted);
                SKColor color = CategoricalPalette.ColorOf(predicted, classCount);
                bitmap.SetPixel(px, py, edge ? Blend(color, Ink, 0.75f) : Blend(color, SKColors.White, 0.15f));
            }
        }

        canvas.DrawBitmap(bitmap, left, top);
        using var frame = new SKPaint { Color = Ink, Style = SKPaintStyle.Stroke, StrokeWidth = 1, IsAntialias = false };
        canvas.DrawRect(left - 0.5f, top - 0.5f, size, size, frame);

        float centerX = left + (size - 1) / 2f, centerY = top + (size - 1) / 2f;
        if (_options.ImageShape is not null)
        {
            Marker(canvas, "a", left + size - 11, centerY);
            Marker(canvas, "b", left + 11, centerY);
            Marker(canvas, "c", centerX, top + 11);
            Marker(canvas, "d", centerX, top + size - 11);
        }

        using (var fill = new SKPaint { Color = SKColors.White, IsAntialias = true })
        using (var stroke = new SKPaint { Color = Ink, Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = true })
        {
            canvas.DrawCircle(centerX, centerY, 6, fill);
            canvas.DrawCircle(centerX, centerY, 6, stroke);
            canvas.DrawCircle(centerX, centerY, 1.5f, stroke);
        }

        DrawScaleBar(canvas, grid.Radius, left, top + size);
        using (SKFont small = FigureText.Font(12))
        {
            FigureText.Draw(canvas, "s along d1 \u2192", left + size, top + size + 18, small, MutedInk, SKTextAlign.Right);
            canvas.Save();
            canvas.Translate(left - 7, top + size / 2f);
            canvas.RotateDegrees(-90);
            FigureText.Draw(canvas, "t along d2 \u2192", 0, 0, small, MutedInk, SKTextAlign.Center);
            canvas.Restore();
        }
    }

    private void DrawScaleBar(SKCanvas canvas, double radius, int left, int mapBottom)
    {
        // A round length near a quarter of the side: 1, 2 or 5 times a power of ten.
        double side = 2 * radius, target = side / 4, power = Math.Pow(10, Math.Floor(Math.Log10(target)));
        double length = new[] { 5, 2, 1 }.Select(m => m * power).First(v => v <= target);
        float pixels = (float)(length / side * (_options.PanelSize - 1));
        float y = mapBottom + 14;
        using var bar = new SKPaint { Color = Ink, StrokeWidth = 3, IsAntialias = true };
        canvas.DrawLine(left, y, left + pixels, y, bar);
        bar.StrokeWidth = 1.5f;
        canvas.DrawLine(left, y - 5, left, y + 5, bar);
        canvas.DrawLine(left + pixels, y - 5, left + pixels, y + 5, bar);
        using SKFont font = FigureText.Font(12);
        FigureText.Draw(canvas, length.ToString("G3", CultureInfo.InvariantCulture), left + pixels + 6, y + 4, font, Ink);
    }

    private void DrawLegend(SKCanvas canvas, int left, int top)
    {
        int classCount = _panels[0].ClassNames.Count;
        using SKFont bold = FigureText.Font(13, bold: true);
        using SKFont font = FigureText.Font(13);
        FigureText.Draw(canvas, "Predicted class", left, top + 4, bold, Ink);
        float y = top + 16;
        using var swatch = new SKPaint { IsAntialias = true };
        using var outline = new SKPaint { Color = MutedInk, Style = SKPaintStyle.Stroke, StrokeWidth = 1, IsAntialias = true };
        for (int i = 0; i < LegendClasses.Count; i++)
        {
            swatch.Color = Blend(CategoricalPalette.ColorOf(LegendClasses[i], classCount), SKColors.White, 0.15f);
            var box = new SKRect(left, y, left + 16, y + 16);
            canvas.DrawRoundRect(box, 3, 3, swatch);
            canvas.DrawRoundRect(box, 3, 3, outline);
            FigureText.Draw(canvas, LegendEntries[i], left + 24, y + 13, font, Ink);
            y += 22;
        }

        y += 10;
        using (var fill = new SKPaint { Color = SKColors.White, IsAntialias = true })
        using (var stroke = new SKPaint { Color = Ink, Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = true })
        {
            canvas.DrawCircle(left + 8, y + 8, 6, fill);
            canvas.DrawCircle(left + 8, y + 8, 6, stroke);
            canvas.DrawCircle(left + 8, y + 8, 1.5f, stroke);
        }

        FigureText.Draw(canvas, "the input x", left + 24, y + 13, font, Ink);
        if (_options.ImageShape is not null)
        {
            y += 24;
            Marker(canvas, "a", left + 8, y + 8);
            FigureText.Draw(canvas, "points in the strip", left + 24, y + 13, font, Ink);
        }
    }

    private static void Marker(SKCanvas canvas, string letter, float x, float y)
    {
        using var fill = new SKPaint { Color = SKColors.White.WithAlpha(230), IsAntialias = true };
        using var stroke = new SKPaint { Color = Ink, Style = SKPaintStyle.Stroke, StrokeWidth = 1, IsAntialias = true };
        canvas.DrawCircle(x, y, 8, fill);
        canvas.DrawCircle(x, y, 8, stroke);
        using SKFont font = FigureText.Font(11, bold: true);
        FigureText.Draw(canvas, letter, x, y + 4, font, Ink, SKTextAlign.Center);
    }

    internal static SKColor Blend(SKColor color, SKColor other, float amount) => new(
        (byte)Math.Round(color.Red + (other.Red - color.Red) * amount),
        (byte)Math.Round(color.Green + (other.Green - color.Green) * amount),
        (byte)Math.Round(color.Blue + (other.Blue - color.Blue) * amount));
}
