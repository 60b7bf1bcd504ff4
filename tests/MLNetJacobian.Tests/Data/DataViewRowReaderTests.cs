using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;
using MLNetJacobian.Tests.Trainers;

namespace MLNetJacobian.Tests.Data;

/// <summary>The one reader from a data view to rows, and the public <see cref="LabeledDataset.FromDataView"/> built on it.</summary>
public class DataViewRowReaderTests
{
    private static LabeledRow[] Rows(int count) =>
        Enumerable.Range(0, count).Select(i => new LabeledRow { Features = [i, -i], Label = $"c{i % 3}" }).ToArray();

    [Fact]
    public void FromDataView_KeyLabel_ReadsRowsInOrderWithKeyNames()
    {
        var context = new MLContext(1);
        IDataView view = context.Data.LoadFromEnumerable(Rows(7), TestData.Definition(2));
        view = context.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);

        LabeledDataset rows = LabeledDataset.FromDataView(view, maxRows: 5);

        Assert.Equal(["c0", "c1", "c2"], rows.ClassNames);
        Assert.Equal((5, 2), (rows.Count, rows.FeatureCount));
        Assert.Equal([0, 1, 2, 0, 1], rows.Labels);
        Assert.Equal([4f, -4f], rows.Row(4).ToArray());
    }

    [Fact]
    public void FromDataView_UnknownAndOutOfRangeLabels_RowsSkipped()
    {
        var context = new MLContext(1);
        LabeledRow[] all = Rows(9);
        IDataView raw = context.Data.LoadFromEnumerable(all, TestData.Definition(2));
        // Keys fitted on c0 and c1 only: c2 becomes the missing key 0.
        IDataView known = context.Data.LoadFromEnumerable(all.Where(r => r.Label != "c2"), TestData.Definition(2));
        IDataView keyed = context.Transforms.Conversion.MapValueToKey("Label").Fit(known).Transform(raw);

        LabeledDataset twoClasses = LabeledDataset.FromDataView(keyed);
        Assert.Equal([0f, 1f, 3f, 4f, 6f, 7f], Enumerable.Range(0, twoClasses.Count).Select(i => twoClasses.Row(i)[0]));

        // Given one-class-short names: rows of the last key are skipped too.
        IDataView threeKeys = context.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        LabeledDataset firstTwo = LabeledDataset.FromDataView(threeKeys, ["c0", "c1"]);
        Assert.Equal([0, 1, 0, 1, 0, 1], firstTwo.Labels);
    }

    [Fact]
    public void FromDataView_ModelMapsLabel_ReadsKeyFromModelOutput()
    {
        var context = new MLContext(1);
        IDataView raw = context.Data.LoadFromEnumerable(Rows(6), TestData.Definition(2));
        ITransformer mapper = context.Transforms.Conversion.MapValueToKey("Label").Fit(raw);

        var error = Assert.Throws<ArgumentException>(() => LabeledDataset.FromDataView(raw));
        Assert.StartsWith("The label column 'Label' is String; a key numbered like the classes is needed", error.Message, StringComparison.Ordinal);

        LabeledDataset rows = LabeledDataset.FromDataView(raw, labelMapper: mapper);
        Assert.Equal([0, 1, 2, 0, 1, 2], rows.Labels);
        Assert.Equal(["c0", "c1", "c2"], rows.ClassNames);
    }

    [Fact]
    public void FromDataView_NonFiniteFeature_ThrowsNamingRowFeatureAndColumn()
    {
        var context = new MLContext(1);
        LabeledRow[] rows = Rows(4);
        rows[2].Features[1] = float.PositiveInfinity;
        IDataView view = context.Data.LoadFromEnumerable(rows, TestData.Definition(2));
        view = context.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);

        var error = Assert.Throws<InvalidDataException>(() => LabeledDataset.FromDataView(view));

        Assert.Equal("Row 2 has Infinity in feature 1 of column 'Features'; features must be finite.", error.Message);
    }

    [Fact]
    public void ReadFeatures_VariableVectorOfWrongLength_ThrowsNamingRowAndColumn()
    {
        var context = new MLContext(1);
        var rows = new[] { new LabeledRow { Features = [1, 2], Label = "a" }, new LabeledRow { Features = [1, 2, 3], Label = "b" } };
        IDataView view = context.Data.LoadFromEnumerable(rows);
        using var reader = new DataViewRowReader(view, view.Schema["Features"], 2);
        var row = new float[2];

        Assert.True(reader.MoveNext());
        Assert.Equal(-1, reader.ReadFeatures(row));
        Assert.True(reader.MoveNext());
        var error = Assert.Throws<InvalidDataException>(() => reader.ReadFeatures(row));

        Assert.Equal("Row 1 of the feature column 'Features' holds 3 values; the model expects D = 2.", error.Message);
    }

    [Fact]
    public void Constructor_WrongTypes_ThrowNamingColumn()
    {
        var context = new MLContext(1);
        IDataView view = context.Data.LoadFromEnumerable(Rows(2), TestData.Definition(2));

        var size = Assert.Throws<ArgumentException>(() => new DataViewRowReader(view, view.Schema["Features"], 3));
        var label = Assert.Throws<ArgumentException>(() => new DataViewRowReader(view, view.Schema["Features"], 2, view.Schema["Label"]));
        var missing = Assert.Throws<ArgumentException>(() => DataViewRowReader.Column(view.Schema, "Pixels", "feature", "data"));

        Assert.StartsWith("The feature column 'Features' holds 2 values per row; the model expects D = 3.", size.Message, StringComparison.Ordinal);
        Assert.StartsWith("The label column 'Label' is String; a key (MapValueToKey), a Boolean or a number is needed.", label.Message, StringComparison.Ordinal);
        Assert.StartsWith("The feature column 'Pixels' is not in the data. Columns present: 'Features', 'Label'.", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLabel_KeyBooleanAndNumber_ClassIndexZeroOneAndValue()
    {
        var context = new MLContext(1);
        var rows = new[] { new MixedRow { Features = [0], Flag = true, Value = 2.5, Name = "b" }, new MixedRow { Features = [1], Flag = false, Value = -1, Name = "a" } };
        IDataView view = context.Data.LoadFromEnumerable(rows);
        view = context.Transforms.Conversion.MapValueToKey("Key", "Name").Fit(view).Transform(view);

        double[] Read(string column)
        {
            using var reader = new DataViewRowReader(view, view.Schema["Features"], 1, view.Schema[column]);
            var values = new List<double>();
            while (reader.MoveNext()) values.Add(reader.ReadLabel());
            return values.ToArray();
        }

        Assert.Equal([0.0, 1.0], Read("Key"));   // keys in order of appearance: b = 1, a = 2
        Assert.Equal([1.0, 0.0], Read("Flag"));
        Assert.Equal([2.5, -1.0], Read("Value"));
    }

    /// <summary>A row with a variable-size feature vector and labels of several types.</summary>
    public sealed class MixedRow
    {
        /// <summary>The features.</summary>
        public float[] Features { get; set; } = [];

        /// <summary>A Boolean label.</summary>
        public bool Flag { get; set; }

        /// <summary>A Double label.</summary>
        public double Value { get; set; }

        /// <summary>A text label to key.</summary>
        public string Name { get; set; } = string.Empty;
    }
}
