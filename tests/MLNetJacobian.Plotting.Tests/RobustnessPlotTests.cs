using MLNetJacobian.Robustness;
using SkiaSharp;

namespace MLNetJacobian.Plotting.Tests;

public class RobustnessPlotTests
{
    [Fact]
    public void ToPng_NoiseAndLInfinityAttacks_OnePanelPerNormSideBySide()
    {
        RobustnessReport report = ReportFixtures.MaximumEntropy;
        int norms = report.Attacks.Select(a => a.Norm).Distinct().Count();

        using SKBitmap bitmap = SKBitmap.Decode(report.ToPng(width: 300, height: 240));

        Assert.Equal(2, norms);
        Assert.Equal(norms * 300, bitmap.Width);
        Assert.Equal(240, bitmap.Height);
    }

    [Fact]
    public void SavePlot_ExistingFileWithoutOverwrite_ThrowsAndKeepsTheFile()
    {
        string directory = Directory.CreateTempSubdirectory("robustness-plot").FullName;
        try
        {
            string path = Path.Combine(directory, "report.png");
            ReportFixtures.MaximumEntropy.SavePlot(path);
            byte[] first = File.ReadAllBytes(path);

            Assert.Throws<IOException>(() => ReportFixtures.MaximumEntropy.SavePlot(path, overwrite: false));
            Assert.Equal(first, File.ReadAllBytes(path));
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, first[..4]);
            ReportFixtures.MaximumEntropy.SavePlot(path, width: 400);
            Assert.Single(Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void ToPng_WidthBelow200_ThrowsNamingWidth()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ReportFixtures.MaximumEntropy.ToPng(width: 199));
        Assert.Equal("width", error.ParamName);
    }
}
