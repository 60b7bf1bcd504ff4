using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Cli.Commands;
using MLNetJacobian.Cli.Data;

namespace MLNetJacobian.Cli.Tests.Data;

/// <summary>The Features vector the tool builds from a CSV names its slots (SlotNames), so reports name features.</summary>
public sealed class FeatureSlotNameTests
{
    private static string Csv(bool categorical)
    {
        var text = new StringBuilder(categorical ? "width,height,shop,target\n" : "width,height,target\n");
        for (int i = 0; i < 40; i++)
        {
            string shop = categorical ? "," + "ab"[i % 2] : "";
            text.Append($"{i % 7}.5,{i % 5}{shop},{(i % 3) + 0.25 * (i % 4)}\n");
        }

        return text.ToString();
    }

    private static string[] SlotNames(IDataView view)
    {
        DataViewSchema.Column features = view.Schema[LoadedData.FeatureColumnName];
        Assert.True(features.HasSlotNames(), "Features has no SlotNames annotation");
        VBuffer<ReadOnlyMemory<char>> names = default;
        features.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    [Fact]
    public void Load_NumericCsvWithHeader_FeaturesSlotsNamedAfterTheHeader()
    {
        using var folder = new TemporaryFolder();
        string path = folder.Write("box.csv", Csv(categorical: false));

        LoadedData data = DatasetLoader.Load(new MLContext(seed: 1), new DataSettings { DataPath = path, Task = LearningTask.Regression });

        Assert.Equal(["width", "height"], SlotNames(data.Train));
        Assert.Equal(["width", "height"], SlotNames(data.Test));
    }

    [Fact]
    public void Load_CategoricalColumn_NumericSlotsAndOneHotSlotsNamed()
    {
        using var folder = new TemporaryFolder();
        string path = folder.Write("shop.csv", Csv(categorical: true));

        LoadedData data = DatasetLoader.Load(new MLContext(seed: 1), new DataSettings { DataPath = path, Task = LearningTask.Regression });

        string[] names = SlotNames(data.Train);
        // Concatenate prefixes a named vector's slots with its column: the numeric block is NumericFeatures.<header name>.
        Assert.Equal(["NumericFeatures.width", "NumericFeatures.height", "shop.onehot.a", "shop.onehot.b"], names);
    }
}
