using MLNetJacobian.Analysis;
using MLNetJacobian.Network;
using MLNetJacobian.Tests.Analysis;
using SkiaSharp;
using MLNetJacobian.Models;

namespace MLNetJacobian.Plotting.Tests;

public class DecisionCellFigureTests
{
    [Fact]
    public void ToPng_TwoModelsOnDigits_ExpectedPixelSizeAndEveryPredictedClassInLegendAndPicture()
    {
        DigitsModels models = DigitsModels.Instance;
        DecisionPlane plane = DecisionPlane.Random(models.Test.Row(0), seed: 1);
        DecisionCellMap maximumEntropy = DecisionCellMap.Compute(new TransformerModel(models.MaximumEntropy, 64), plane, radius: 6, resolution: 61, modelName: "maximum entropy");
        DecisionCellMap lightGbm = DecisionCellMap.Compute(new TransformerModel(models.LightGbm, 64), plane, radius: 6, resolution: 61, modelName: "LightGbm");
        var figure = new DecisionCellFigure([maximumEntropy, lightGbm], new DecisionCellFigureOptions { PanelSize = 200, ImageShape = new ImageShape(1, 8, 8), Title = "test" });

        byte[] png = figure.ToPng();

        using SKBitmap bitmap = SKBitmap.Decode(png);
        Assert.Equal(figure.Width, bitmap.Width);
        Assert.Equal(figure.Height, bitmap.Height);
        int[] predicted = maximumEntropy.PresentClasses.Union(lightGbm.PresentClasses).Order().ToArray();
        Assert.True(predicted.Length >= 2, "the plane should cross at least one boundary at this radius");
        Assert.Equal(predicted, figure.LegendClasses);
        Assert.Equal(predicted.Select(c => models.Test.ClassNames[c]), figure.LegendEntries);
        var colors = new HashSet<SKColor>(bitmap.Pixels);
        foreach (int c in predicted)
        {
            SKColor fill = DecisionCellFigure.Blend(CategoricalPalette.ColorOf(c, 10), SKColors.White, 0.15f);
            Assert.Contains(fill, colors);
        }
    }

    [Fact]
    public void ToPng_OneModelWithLongTitle_TitleWrapsInsideThePicture()
    {
        var classifier = new HalfSpaceClassifier([1, 0, 0], bias: 0);
        DecisionCellMap grid = DecisionCellMap.Compute(classifier, DecisionPlane.Random(new float[3], 1), 1, 5);
        const string title = "Decision cells around test example 0 in the plane of the two most sensitive directions of a long model name";
        var shortTitle = new DecisionCellFigure([grid], new DecisionCellFigureOptions { PanelSize = 200, Title = "cells" });
        var longTitle = new DecisionCellFigure([grid], new DecisionCellFigureOptions { PanelSize = 200, Title = title });

        using SKBitmap bitmap = SKBitmap.Decode(longTitle.ToPng());

        Assert.Equal(shortTitle.Width, longTitle.Width);
        Assert.True(longTitle.Height > shortTitle.Height, "the long title should take more than one line");
        // Nothing is drawn in the right margin: the title no longer runs off the picture's edge.
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = bitmap.Width - 12; x < bitmap.Width; x++) Assert.Equal(SKColors.White, bitmap.GetPixel(x, y));
        }
    }

    [Fact]
    public void Constructor_PanelsOnDifferentPlanes_Throws()
    {
        var classifier = new HalfSpaceClassifier([1, 0, 0], bias: 0);
        DecisionCellMap first = DecisionCellMap.Compute(classifier, DecisionPlane.Random(new float[3], 1), 1, 5);
        DecisionCellMap second = DecisionCellMap.Compute(classifier, DecisionPlane.Random(new float[3], 2), 1, 5);

        var error = Assert.Throws<ArgumentException>(() => new DecisionCellFigure([first, second]));
        Assert.Equal("panels", error.ParamName);
    }

    [Fact]
    public void Constructor_ImageShapeNotMatchingFeatures_Throws()
    {
        var classifier = new HalfSpaceClassifier([1, 0, 0], bias: 0);
        DecisionCellMap grid = DecisionCellMap.Compute(classifier, DecisionPlane.Random(new float[3], 1), 1, 5);

        Assert.Throws<ArgumentException>(() => new DecisionCellFigure([grid], new DecisionCellFigureOptions { ImageShape = new ImageShape(1, 2, 2) }));
    }

    [Fact]
    public void SavePng_ExistingFileWithoutOverwrite_Throws()
    {
        var classifier = new HalfSpaceClassifier([1, 0, 0], bias: 0);
        var figure = new DecisionCellFigure([DecisionCellMap.Compute(classifier, DecisionPlane.Random(new float[3], 1), 1, 5)], new DecisionCellFigureOptions { PanelSize = 64 });
        string path = Path.Combine(Path.GetTempPath(), $"cells-{Guid.NewGuid():N}.png");
        try
        {
            figure.SavePng(path);
            Assert.Throws<IOException>(() => figure.SavePng(path, overwrite: false));
            figure.SavePng(path);
            Assert.True(new FileInfo(path).Length > 100);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
