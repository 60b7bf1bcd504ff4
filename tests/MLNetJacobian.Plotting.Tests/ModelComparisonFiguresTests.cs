using MLNetJacobian.Network;
using MLNetJacobian.Analysis;
using MLNetJacobian.Data;
using MLNetJacobian.Tests.Analysis;
using SkiaSharp;

namespace MLNetJacobian.Plotting.Tests;

public class ModelComparisonFiguresTests
{
    private static ModelComparisonReport HalfSpaceComparison()
    {
        var halfSpace = new HalfSpaceClassifier([1, 2, 0], bias: -1);
        var tilted = new HalfSpaceClassifier([2, -1, 1], bias: 0.5);
        var data = new LabeledDataset([0f, 0f, 0f, 1f, 1f, 1f, 0.5f, 0f, 1f, 2f, 0f, 0f], [0, 1, 0, 1], 3, ["below", "above"]);
        return ModelComparison.Run([("half-space", halfSpace), ("tilted", tilted)], data, new ModelComparison.Options
        {
            StatisticsExamples = 4, Boundary = new DecisionBoundaryDistance.Options { MaxExamples = 2, RandomDirectionCount = 1 }, FigureExamples = [0, 2], MapResolution = 9,
        });
    }

    [Fact]
    public void SaveFigures_TwoExamples_OnePngPerFigureUnderItsFileNameWithOnePanelPerModel()
    {
        ModelComparisonReport report = HalfSpaceComparison();
        string directory = Path.Combine(Path.GetTempPath(), $"figures-{Guid.NewGuid():N}");
        try
        {
            IReadOnlyList<string> written = report.SaveFigures(directory, new DecisionCellFigureOptions { PanelSize = 64 });

            Assert.Equal(report.Figures.Select(f => Path.Combine(directory, f.FileName)), written);
            Assert.Equal(2, written.Count);
            int expectedWidth = new DecisionCellFigure(report.Figures[0].Maps, new DecisionCellFigureOptions { PanelSize = 64, Title = report.Figures[0].Title }).Width;
            using SKBitmap bitmap = SKBitmap.Decode(written[0]);
            Assert.Equal(expectedWidth, bitmap.Width);
            Assert.Throws<IOException>(() => report.SaveFigures(directory, new DecisionCellFigureOptions { PanelSize = 64 }, overwrite: false));
            report.SaveFigures(directory, new DecisionCellFigureOptions { PanelSize = 64 });
            Assert.Equal(2, Directory.GetFiles(directory).Length);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void SaveFigures_ImageShapeNotMatchingFeatures_ThrowsBeforeWriting()
    {
        ModelComparisonReport report = HalfSpaceComparison();
        string directory = Path.Combine(Path.GetTempPath(), $"figures-{Guid.NewGuid():N}");

        Assert.Throws<ArgumentException>(() => report.SaveFigures(directory, new DecisionCellFigureOptions { ImageShape = new ImageShape(1, 2, 2) }));
        Assert.False(Directory.Exists(directory) && Directory.GetFiles(directory).Length > 0);
    }
}
