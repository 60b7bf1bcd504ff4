using MLNetJacobian.Data;
using MLNetJacobian.Training;

namespace MLNetJacobian.Tests.Training;

public class InMemoryTrainingDataTests
{
    /// <summary>10 rows of 2 features where row r holds [r, -r] and label r % 3, weight r / 10.</summary>
    private static InMemoryTrainingData<double> Numbered(bool withWeights = false)
    {
        var features = new double[20];
        var labels = new int[10];
        var weights = new double[10];
        for (int r = 0; r < 10; r++)
        {
            features[2 * r] = r;
            features[2 * r + 1] = -r;
            labels[r] = r % 3;
            weights[r] = r / 10.0;
        }

        return new InMemoryTrainingData<double>(features, labels, 2, 3, withWeights ? weights : null);
    }

    private static List<int> ReadEpoch(InMemoryTrainingData<double> data, Random? random, int batchSize, List<int>? batchSizes = null)
    {
        var features = new double[batchSize * 2];
        var labels = new double[batchSize];
        var weights = new double[batchSize];
        var rows = new List<int>();
        data.StartEpoch(random);
        int count;
        while ((count = data.NextBatch(features, labels, weights, batchSize)) > 0)
        {
            batchSizes?.Add(count);
            for (int i = 0; i < count; i++)
            {
                int row = (int)features[2 * i];
                Assert.Equal(-row, features[2 * i + 1]);
                Assert.Equal(row % 3, labels[i]);
                if (data.HasWeights) Assert.Equal(row / 10.0, weights[i]);
                rows.Add(row);
            }
        }

        return rows;
    }

    [Fact]
    public void NextBatch_ShuffledEpochs_CoverEveryRowExactlyOnce()
    {
        var data = Numbered(withWeights: true);
        var random = new Random(3);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            List<int> rows = ReadEpoch(data, random, 4);
            Assert.Equal(Enumerable.Range(0, 10), rows.Order());
        }
    }

    [Fact]
    public void StartEpoch_NoRandom_ReadsStoredOrder()
    {
        Assert.Equal(Enumerable.Range(0, 10), ReadEpoch(Numbered(), null, 3));
    }

    [Fact]
    public void StartEpoch_SameSeed_SameOrderAndDiffersFromStored()
    {
        List<int> first = ReadEpoch(Numbered(), new Random(42), 4);
        List<int> second = ReadEpoch(Numbered(), new Random(42), 4);
        Assert.Equal(first, second);
        Assert.NotEqual(Enumerable.Range(0, 10), first);
    }

    [Fact]
    public void StartEpoch_SuccessiveEpochs_DrawNewOrders()
    {
        var data = Numbered();
        var random = new Random(1);
        Assert.NotEqual(ReadEpoch(data, random, 10), ReadEpoch(data, random, 10));
    }

    [Fact]
    public void NextBatch_BatchSizeFour_ReturnsFourFourTwoThenZero()
    {
        var sizes = new List<int>();
        ReadEpoch(Numbered(), new Random(0), 4, sizes);
        Assert.Equal([4, 4, 2], sizes);
    }

    [Fact]
    public void NextBatch_BeforeStartEpoch_ReturnsZero()
    {
        Assert.Equal(0, Numbered().NextBatch(new double[8], new double[4], [], 4));
    }

    [Fact]
    public void Properties_WithWeights_ReportShapes()
    {
        var data = Numbered(withWeights: true);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(3, data.ClassCount);
        Assert.True(data.HasWeights);
        Assert.Equal(10, data.RowCount);
        Assert.False(Numbered().HasWeights);
    }

    [Fact]
    public void Constructor_LabelOutOfRange_ThrowsNamingRow()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryTrainingData<double>(new double[4], [0, 3], 2, 3));
        Assert.Contains("Row 1", error.Message);
        Assert.Equal(3, error.ActualValue);
    }

    [Fact]
    public void Constructor_NaNFeature_ThrowsNamingRowAndFeature()
    {
        var error = Assert.Throws<ArgumentException>(() => new InMemoryTrainingData<double>([0, 1, 2, double.NaN], [0, 1], 2, 3));
        Assert.Contains("Row 1, feature 1", error.Message);
    }

    [Fact]
    public void Constructor_WrongFeatureLength_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new InMemoryTrainingData<double>(new double[5], [0, 1], 2, 3));
        Assert.Equal("features", error.ParamName);
    }

    [Fact]
    public void Constructor_NegativeWeight_ThrowsNamingRow()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryTrainingData<double>(new double[4], [0, 1], 2, 3, [1, -1]));
        Assert.Contains("Row 1", error.Message);
    }

    [Fact]
    public void FromDataset_Digits_ConvertsFeaturesAndLabels()
    {
        LabeledDataset digits = DigitsDataset.Load(scaleToUnitInterval: true);
        var data = InMemoryTrainingData<float>.FromDataset(digits);
        Assert.Equal(64, data.FeatureCount);
        Assert.Equal(10, data.ClassCount);
        Assert.Equal(digits.Count, data.Count);

        var features = new float[2 * 64];
        var labels = new float[2];
        data.StartEpoch(null);
        Assert.Equal(2, data.NextBatch(features, labels, [], 2));
        Assert.Equal(digits.Row(1).ToArray(), features.AsSpan(64, 64).ToArray());
        Assert.Equal(digits.Labels[1], labels[1]);
    }
}
