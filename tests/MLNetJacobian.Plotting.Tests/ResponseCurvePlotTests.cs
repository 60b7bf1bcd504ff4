using MLNetJacobian.Analysis;
using MLNetJacobian.Models;
using SkiaSharp;

namespace MLNetJacobian.Plotting.Tests;

public class ResponseCurvePlotTests
{
    private static ResponseCurve Curve()
    {
        var linear = new LinearModel([1f, 2f], [0f], 2, "linear", task: ModelTask.Regression);
        var steep = new LinearModel([3f, 2f], [1f], 2, "steep", task: ModelTask.Regression);
        return OneOutputAnalysis.ResponseCurve([("linear", linear), ("steep", steep)], [0.2f, 0.5f], 0, -1, 1, points: 41, featureName: "x0");
    }

    [Fact]
    public void ToPng_TwoModels_ImageOfTheRequestedSizeWithBothColors()
    {
        using SKBitmap bitmap = SKBitmap.Decode(Curve().ToPng(width: 400, height: 300));
        Assert.Equal(400, bitmap.Width);
        Assert.Equal(300, bitmap.Height);
        // The first two palette colors (blue, orange) are drawn.
        bool Has(byte r, byte g, byte b) => Enumerable.Range(0, bitmap.Width).Any(x => Enumerable.Range(0, bitmap.Height).Any(y => bitmap.GetPixel(x, y) == new SKColor(r, g, b)));
        Assert.True(Has(0x1f, 0x77, 0xb4));
        Assert.True(Has(0xff, 0x7f, 0x0e));
    }

    [Fact]
    public void SavePlot_ExistingFileWithoutOverwrite_ThrowsAndKeepsTheFile()
    {
        string directory = Directory.CreateTempSubdirectory("response-curve").FullName;
        try
        {
            string path = Path.Combine(directory, "curve.png");
            Curve().SavePlot(path);
            byte[] first = File.ReadAllBytes(path);
            Assert.Throws<IOException>(() => Curve().SavePlot(path, overwrite: false));
            Assert.Equal(first, File.ReadAllBytes(path));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
