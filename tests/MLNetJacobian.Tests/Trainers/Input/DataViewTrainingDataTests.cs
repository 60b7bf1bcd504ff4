using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

public class DataViewTrainingDataTests
{
    /// <summary>Row i has features [i, 2i] and label class i % 3 (names "c0".."c2"), weight i + 1.</summary>
    private static IDataView Numbered(MLContext context, int count, bool cache)
    {
        var rows = Enumerable.Range(0, count).Select(i => new WeightedRow { Features = [i, 2 * i], Label = $"c{i % 3}", Weight = i + 1 }).ToArray();
        SchemaDefinition definition = SchemaDefinition.Create(typeof(WeightedRow));
        definition[nameof(WeightedRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
        IDataView view = context.Data.LoadFromEnumerable(rows, definition);
        view = context.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
        return cache ? context.Data.Cache(view) : view;
    }

    /// <summary>Reads one epoch in batches of 4 and returns each row's first feature (its number), label and weight.</summary>
    private static List<(int Row, int Label, float Weight)> Epoch(DataViewTrainingData data, Random? random)
    {
        var result = new List<(int, int, float)>();
        float[] features = new float[4 * 2], weights = new float[4];
        float[] labels = new float[4];
        data.StartEpoch(random);
        int rows;
        while ((rows = data.NextBatch(features, labels, weights, 4)) > 0)
        {
            for (int i = 0; i < rows; i++)
            {
                Assert.Equal(2 * features[2 * i], features[2 * i + 1]);
                result.Add(((int)features[2 * i], (int)labels[i], weights[i]));
            }
        }

        return result;
    }

    [Theory]
    [InlineData(false, 1000)]
    [InlineData(false, 5)]
    [InlineData(true, 1000)]
    public void StartEpoch_Shuffled_EveryRowOnceInNewOrder(bool cache, int window)
    {
        var context = new MLContext(1);
        using var data = new DataViewTrainingData(Numbered(context, 50, cache), "Features", "Label", "Weight", shuffleWindowSize: window);

        List<(int Row, int Label, float Weight)> first = Epoch(data, new Random(4));
        List<(int Row, int Label, float Weight)> second = Epoch(data, new Random(4));
        List<(int Row, int Label, float Weight)> third = Epoch(data, new Random(5));

        Assert.Equal(cache, data.ShufflesThroughDataView);
        Assert.Equal(Enumerable.Range(0, 50), first.Select(r => r.Row).Order());
        Assert.All(first, r => Assert.Equal((r.Row % 3, r.Row + 1f), (r.Label, r.Weight)));
        Assert.NotEqual(Enumerable.Range(0, 50), first.Select(r => r.Row));
        Assert.Equal(first, second);
        Assert.NotEqual(first, third);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(1000)]
    public void StartEpoch_WindowHoldsAllRows_OrderOfTheWindowDraw(int window)
    {
        var context = new MLContext(1);
        using var data = new DataViewTrainingData(Numbered(context, 50, cache: false), "Features", "Label", "Weight", shuffleWindowSize: window);

        // The documented draw once the data is exhausted: a uniform slot among those left, refilled by the last one.
        var left = Enumerable.Range(0, 50).ToList();
        var expected = new List<int>();
        var random = new Random(4);
        while (left.Count > 0)
        {
            int slot = random.Next(left.Count);
            expected.Add(left[slot]);
            left[slot] = left[^1];
            left.RemoveAt(left.Count - 1);
        }

        Assert.Equal(expected, Epoch(data, new Random(4)).Select(r => r.Row));
        Assert.Equal(Enumerable.Range(0, 50), Epoch(data, null).Select(r => r.Row));
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(9, 3)]
    public void StartEpoch_ViewThatCannotShuffle_ReadAgainOnlyWhenLargerThanWindow(int window, int expectedReads)
    {
        var context = new MLContext(1);
        var rows = new CountedRows(Enumerable.Range(0, 10).Select(i => new LabeledRow { Features = [i, 2 * i], Label = $"c{i % 2}" }).ToArray());
        IDataView view = context.Data.LoadFromEnumerable(rows, TestData.Definition(2));
        view = context.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
        rows.Reads = 0;   // fitting MapValueToKey read the rows once
        using var data = new DataViewTrainingData(view, "Features", "Label", shuffleWindowSize: window);

        List<(int Row, int Label, float Weight)> shuffled = Epoch(data, new Random(3));
        List<(int Row, int Label, float Weight)> stored = Epoch(data, null);

        Assert.Equal(expectedReads, rows.Reads);
        Assert.Equal(Enumerable.Range(0, 10), shuffled.Select(r => r.Row).Order());
        Assert.Equal(Enumerable.Range(0, 10), stored.Select(r => r.Row));
        Assert.All(stored, r => Assert.Equal(r.Row % 2, r.Label));
    }

    [Fact]
    public void StartEpoch_CachedRowsWithSkippedRows_SkippedRowsNeverEmitted()
    {
        var context = new MLContext(1);
        var rows = Enumerable.Range(0, 8).Select(i => new LabeledRow { Features = [i == 5 ? float.NaN : i, 2 * i], Label = $"c{i % 2}" }).ToArray();
        IDataView view = context.Data.LoadFromEnumerable(rows, TestData.Definition(2));
        view = context.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);

        using var data = new DataViewTrainingData(view, "Features", "Label", skipRowsWithNonFiniteFeatures: true);

        Assert.Equal((7L, 1L), (data.RowCount!.Value, data.NonFiniteFeatureRowCount));
        Assert.Equal([0, 1, 2, 3, 4, 6, 7], Epoch(data, null).Select(r => r.Row));
        Assert.Equal([0, 1, 2, 3, 4, 6, 7], Epoch(data, new Random(2)).Select(r => r.Row).Order());
    }

    [Fact]
    public void StartEpoch_NoShuffle_StoredOrder()
    {
        var context = new MLContext(1);
        using var data = new DataViewTrainingData(Numbered(context, 10, cache: false), "Features", "Label");

        Assert.Equal(Enumerable.Range(0, 10), Epoch(data, null).Select(r => r.Row));
        Assert.Equal(10, data.RowCount);
        Assert.Equal((2, 3, false), (data.FeatureCount, data.ClassCount, data.HasWeights));
    }

    [Fact]
    public void Constructor_UnseenLabels_RowsWithMissingKeySkipped()
    {
        var context = new MLContext(1);
        var rows = Enumerable.Range(0, 9).Select(i => new LabeledRow { Features = [i, 2 * i], Label = $"c{i % 3}" }).ToArray();
        IDataView raw = context.Data.LoadFromEnumerable(rows, TestData.Definition(2));
        IDataView known = context.Data.LoadFromEnumerable(rows.Where(r => r.Label != "c2"), TestData.Definition(2));
        IDataView keyed = context.Transforms.Conversion.MapValueToKey("Label").Fit(known).Transform(raw);

        using var data = new DataViewTrainingData(keyed, "Features", "Label");

        Assert.Equal((6L, 3L), (data.RowCount!.Value, data.MissingLabelRowCount));
        Assert.Equal([0, 1, 3, 4, 6, 7], Epoch(data, null).Select(r => r.Row));
    }

    [Fact]
    public void Constructor_NegativeWeight_ThrowsNamingRow()
    {
        var context = new MLContext(1);
        var rows = Enumerable.Range(0, 4).Select(i => new WeightedRow { Features = [i, i], Label = $"c{i % 2}", Weight = i == 3 ? -1 : 1 }).ToArray();
        SchemaDefinition definition = SchemaDefinition.Create(typeof(WeightedRow));
        definition[nameof(WeightedRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
        IDataView view = context.Data.LoadFromEnumerable(rows, definition);
        view = context.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);

        var error = Assert.Throws<InvalidDataException>(() => new DataViewTrainingData(view, "Features", "Label", "Weight"));

        Assert.Equal("Row 3 of the training data has weight -1 in column 'Weight'; example weights must be finite and at least 0.", error.Message);
    }

    /// <summary>Rows that count how many times they are enumerated (each cursor of a streaming view enumerates once).</summary>
    private sealed class CountedRows(LabeledRow[] rows) : IEnumerable<LabeledRow>
    {
        public int Reads { get; set; }

        public IEnumerator<LabeledRow> GetEnumerator()
        {
            Reads++;
            return ((IEnumerable<LabeledRow>)rows).GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>A row with an example weight.</summary>
    public sealed class WeightedRow
    {
        /// <summary>The features.</summary>
        public float[] Features { get; set; } = [];

        /// <summary>The class name.</summary>
        public string Label { get; set; } = string.Empty;

        /// <summary>The example weight.</summary>
        public float Weight { get; set; }
    }
}
