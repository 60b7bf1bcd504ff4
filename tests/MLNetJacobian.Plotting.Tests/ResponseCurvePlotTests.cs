using MLNetJacobian.Analysis;
using MLNetJacobian.Models;
using SkiaSharp;

namespace MLNetJacobian.Plotting.Tests;

public class ResponseCurvePlotTests
{
    private static readonly double[] Values = Enumerable.Range(0, 50).Select(i => i / 10.0).ToArray();

    private static readonly (string, IReadOnlyList<double>)[] Curves =
    [
        ("smooth", Values.Select(v => 2.5 + 2 * v).ToArray()),
        ("steps", Values.Select(v => 2.5 + 2 * Math.Floor(v)).ToArray()),
    ];

    [Fact]
    public void ToPng_WithZoom_TwoPanelsSideBySide()
    {
        using SKBitmap bitmap = SKBitmap.Decode(ResponseCurvePlot.ToPng("distance (miles)", "fare ($)", Values, Curves, zoom: (1.0, 2.0), panelWidth: 300, height: 240));

        Assert.Equal(600, bitmap.Width);
        Assert.Equal(240, bitmap.Height);
    }

    [Fact]
    public void ToPng_WithoutZoom_OnePanel()
    {
        using SKBitmap bitmap = SKBitmap.Decode(ResponseCurvePlot.ToPng("x", "y", Values, Curves, panelWidth: 300, height: 240));

        Assert.Equal(300, bitmap.Width);
    }

    [Fact]
    public void ToPng_CurveOfTheWrongLength_ThrowsNamingTheCurve()
    {
        var error = Assert.Throws<ArgumentException>(() => ResponseCurvePlot.ToPng("x", "y", Values, [("short", new double[3])]));

        Assert.Equal("curves", error.ParamName);
        Assert.Contains("'short' has 3 predictions for 50", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToPng_ValuesNotIncreasing_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ResponseCurvePlot.ToPng("x", "y", [0.0, 1.0, 1.0], [("c", new double[3])]));

        Assert.Equal("values", error.ParamName);
    }

    [Fact]
    public void ToPng_ZoomOutsideTheValues_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ResponseCurvePlot.ToPng("x", "y", Values, Curves, zoom: (4.5, 9.0)));

        Assert.Equal("zoom", error.ParamName);
    }

    private static ResponseCurve AnalysisCurve()
    {
        var linear = new LinearModel([1f, 2f], [0f], 2, "linear", task: ModelTask.Regression);
        var steep = new LinearModel([3f, 2f], [1f], 2, "steep", task: ModelTask.Regression);
        return OneOutputAnalysis.ResponseCurve([("linear", linear), ("steep", steep)], [0.2f, 0.5f], 0, -1, 1, points: 41, featureName: "x0");
    }

    [Fact]
    public void ToPng_AnalysisResponseCurve_OnePanelOfTheRequestedSize()
    {
        using SKBitmap bitmap = SKBitmap.Decode(AnalysisCurve().ToPng("y", panelWidth: 400, height: 300));
        Assert.Equal(400, bitmap.Width);
        Assert.Equal(300, bitmap.Height);
    }

    [Fact]
    public void SavePlot_ExistingFileWithoutOverwrite_ThrowsAndKeepsTheFile()
    {
        string directory = Directory.CreateTempSubdirectory("response-curve").FullName;
        try
        {
            string path = Path.Combine(directory, "curve.png");
            AnalysisCurve().SavePlot(path);
            byte[] first = File.ReadAllBytes(path);
            Assert.Throws<IOException>(() => AnalysisCurve().SavePlot(path, overwrite: false));
            Assert.Equal(first, File.ReadAllBytes(path));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
