using System.Text.Json;
using MLNetJacobian.Analysis;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Analysis;

public class ModelComparisonTests
{
    [Fact]
    public void Run_NetworkAndLightGbm_OneRowPerModelAndOneFigurePerPlaneAndSaveWritesTableAndJson()
    {
        DigitsModels models = DigitsModels.Instance;
        var network = FeedForwardNetwork<float>.Create(new NetworkArchitecture(64, [16], 10, Activation.Tanh), WeightInitializer.XavierUniform, new Random(1));
        var classifier = new NetworkModel<float>(network, models.Test.ClassNames);
        (string, IModel)[] compared =
        [
            ("untrained tanh MLP", classifier),
            ("LightGbm", new TransformerModel(models.LightGbm, 64)),
        ];
        string directory = Path.Combine(Path.GetTempPath(), $"comparison-{Guid.NewGuid():N}");
        try
        {
            ModelComparisonReport report = ModelComparison.Run(compared, models.Test, new ModelComparison.Options
            {
                StatisticsExamples = 40,
                Boundary = new DecisionBoundaryDistance.Options { MaxExamples = 10, RandomDirectionCount = 2, BisectionSteps = 6 },
                FigureExamples = [0],
                MapResolution = 41,
            });
            IReadOnlyList<string> written = report.Save(directory);

            Assert.Equal(["untrained tanh MLP", "LightGbm"], report.Models.Select(m => m.Name));
            Assert.NotNull(report.Models[0].Jacobian);
            Assert.Null(report.Models[1].Jacobian);
            Assert.InRange(report.Models[1].Accuracy, 0.8, 1.0);
            Assert.Equal(["cells-example0-random.png", "cells-example0-singular.png"], report.Figures.Select(f => f.FileName));
            Assert.All(report.Figures, f => Assert.Equal(["untrained tanh MLP", "LightGbm"], f.Maps.Select(g => g.ModelName)));
            Assert.Equal(report.Models.Select(m => m.RandomPlaneCellFractions[0]), report.Figures[0].Maps.Select(g => g.CenterCellFraction));
            Assert.Equal([Path.Combine(directory, "comparison.txt"), Path.Combine(directory, "comparison.json")], written);
            Assert.Contains("LightGbm", File.ReadAllText(written[0]));
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(written[1]));
            Assert.Equal(2, json.RootElement.GetProperty("models").GetArrayLength());
            JsonElement figure = json.RootElement.GetProperty("figures")[0];
            Assert.Equal("cells-example0-random.png", figure.GetProperty("fileName").GetString());
            Assert.False(figure.TryGetProperty("grids", out _));
            Assert.False(figure.TryGetProperty("maps", out _));
            Assert.Throws<IOException>(() => report.Save(directory, overwrite: false));
            report.Save(directory);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Run_JacobianOfRankOne_KeepsTheRandomPlaneAndSkipsTheSingularOne()
    {
        // Logits [0, w . x + b]: J has one non-zero singular value everywhere, so no singular-direction plane exists.
        var halfSpace = new HalfSpaceClassifier([1, 2, 0], bias: -1);
        var data = new LabeledDataset([0f, 0f, 0f, 1f, 1f, 1f, 0.5f, 0f, 1f, 2f, 0f, 0f], [0, 1, 0, 1], 3, ["below", "above"]);

        ModelComparisonReport report = ModelComparison.Run([("half-space", halfSpace)], data, new ModelComparison.Options
        {
            StatisticsExamples = 4, Boundary = new DecisionBoundaryDistance.Options { MaxExamples = 2, RandomDirectionCount = 1 }, FigureExamples = [0], MapResolution = 5,
        });

        Assert.Equal(["cells-example0-random.png"], report.Figures.Select(f => f.FileName));
    }

    [Fact]
    public void Run_ModelWithOtherClassOrder_ThrowsNamingModels()
    {
        var network = FeedForwardNetwork<float>.Create(new NetworkArchitecture(64, [], 10, Activation.Relu), WeightInitializer.XavierUniform, new Random(1));
        var classifier = new NetworkModel<float>(network, ["9", "8", "7", "6", "5", "4", "3", "2", "1", "0"]);

        var error = Assert.Throws<ArgumentException>(() => ModelComparison.Run([("reversed", classifier)], DigitsModels.Instance.Test));
        Assert.Equal("models", error.ParamName);
    }
}
