using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;

namespace MLNetJacobian.Models;

/// <summary>
/// Feature rows and optional class labels read out of an <see cref="IDataView"/> into memory (or taken from a
/// <see cref="LabeledDataset"/>): the one reader from ML.NET data to the batches of rows models are evaluated on.
/// Errors name the column, the row and the value.
/// </summary>
internal sealed class DataViewExamples
{
    private DataViewExamples(float[] features, int?[] labels, int featureCount, IReadOnlyList<string>? labelNames)
    {
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
        LabelNames = labelNames;
    }

    /// <summary>x: <c>[N, D]</c> row-major.</summary>
    public float[] Features { get; }

    /// <summary>The class index of each row, null when unknown (no label column, a missing key, a NaN).</summary>
    public int?[] Labels { get; }

    /// <summary>D.</summary>
    public int FeatureCount { get; }

    /// <summary>The label column's key values, when it is a key type that has them.</summary>
    public IReadOnlyList<string>? LabelNames { get; }

    /// <summary>N.</summary>
    public int Count => Labels.Length;

    /// <summary>Row <paramref name="row"/> of the features, <c>[D]</c>.</summary>
    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>The first <paramref name="maxExamples"/> rows of an in-memory data set.</summary>
    public static DataViewExamples FromDataset(LabeledDataset dataset, int? maxExamples)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int count = Math.Min(dataset.Count, maxExamples ?? int.MaxValue);
        return new DataViewExamples(dataset.Features.AsSpan(0, count * dataset.FeatureCount).ToArray(),
            dataset.Labels.Take(count).Select(l => (int?)l).ToArray(), dataset.FeatureCount, dataset.ClassNames);
    }

    /// <summary>Reads up to <paramref name="maxExamples"/> rows.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="featureCount">D, the length the model expects.</param>
    /// <param name="featureColumnName">A known-size vector of Single (or a Single when D is 1).</param>
    /// <param name="labelColumnName">A key, an integer-valued number or a Boolean column of class indices; null for no labels.</param>
    /// <param name="maxExamples">At most this many rows; null for all.</param>
    /// <param name="labelMapper">
    /// A model that maps the label itself (<c>MapValueToKey</c> in the pipeline): when the data's label is not a key
    /// and the model's output has a key column of that name, that column is read (the class index the model uses).
    /// </param>
    /// <exception cref="ArgumentException">A column is missing or has an unusable type, a vector has the wrong length, or a label is not a class index.</exception>
    public static DataViewExamples FromDataView(IDataView data, int featureCount, string featureColumnName, string? labelColumnName, int? maxExamples,
        ITransformer? labelMapper = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        DataViewSchema.Column feature = data.Schema.GetColumnOrNull(featureColumnName)
            ?? throw new ArgumentException($"The data has no feature column '{featureColumnName}'; its columns are: {ColumnsOf(data.Schema)}.", nameof(featureColumnName));
        bool isVector = feature.Type is VectorDataViewType { ItemType: var item } && item.RawType == typeof(float);
        bool isScalar = feature.Type is NumberDataViewType number && number.RawType == typeof(float) && featureCount == 1;
        if (!isVector && !isScalar)
        {
            throw new ArgumentException($"The feature column '{featureColumnName}' has type {feature.Type}; a vector of Single (or a Single) is needed.", nameof(featureColumnName));
        }

        if (feature.Type is VectorDataViewType { Size: var size } && size != 0 && size != featureCount)
        {
            throw new ArgumentException($"The feature column '{featureColumnName}' holds {size} values per row; the model expects D = {featureCount}.", nameof(featureColumnName));
        }

        IDataView labelView = data;
        DataViewSchema.Column? label = null;
        if (labelColumnName is not null)
        {
            label = data.Schema.GetColumnOrNull(labelColumnName);
            if (labelMapper is not null && label?.Type is not KeyDataViewType)
            {
                IDataView transformed = labelMapper.Transform(data);
                if (transformed.Schema.GetColumnOrNull(labelColumnName) is { Type: KeyDataViewType } mapped)
                {
                    labelView = transformed;
                    label = mapped;
                }
            }

            if (label is null)
            {
                throw new ArgumentException($"The data has no label column '{labelColumnName}'{(labelMapper is null ? "" : " (nor does the model's output)")}; its columns are: {ColumnsOf(data.Schema)}.", nameof(labelColumnName));
            }
        }

        var features = new List<float>();
        var labels = new List<int?>();
        // One cursor when the label is read from the data itself; with the model's output, two unshuffled cursors over
        // row-aligned views step in lockstep.
        bool separate = !ReferenceEquals(labelView, data);
        using DataViewRowCursor cursor = data.GetRowCursor(label is { } both && !separate ? [feature, both] : [feature]);
        using DataViewRowCursor? labelCursor = separate ? labelView.GetRowCursor([label!.Value]) : null;
        Func<long, int?> readLabel = label is { } column ? LabelReader(labelCursor ?? cursor, column) : _ => null;
        Action<Span<float>> readFeatures = FeatureReader(cursor, feature);
        var row = new float[featureCount];
        int limit = maxExamples ?? int.MaxValue;
        while (labels.Count < limit && cursor.MoveNext())
        {
            if (labelCursor is not null && !labelCursor.MoveNext())
            {
                throw new InvalidOperationException("The model's output ended before the data; the two views are not row-aligned.");
            }

            readFeatures(row);
            features.AddRange(row);
            labels.Add(readLabel(cursor.Position));
        }

        IReadOnlyList<string>? names = label is { } keyed && keyed.Type is KeyDataViewType ? KeyNamesOf(keyed) : null;
        return new DataViewExamples(features.ToArray(), labels.ToArray(), featureCount, names);
    }

    /// <summary>The first <paramref name="count"/> values of a numeric column (a regression label) as floats.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="columnName">A Single, Double, integer or Boolean column.</param>
    /// <param name="count">How many rows to read (the rows whose features were read).</param>
    /// <exception cref="ArgumentException">The column is missing, not numeric, or shorter than <paramref name="count"/> rows.</exception>
    public static float[] ReadValues(IDataView data, string columnName, int count)
    {
        ArgumentNullException.ThrowIfNull(data);
        DataViewSchema.Column column = data.Schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentException($"The data has no label column '{columnName}'; its columns are: {ColumnsOf(data.Schema)}.", "labelColumnName");
        Type raw = column.Type.RawType;
        using DataViewRowCursor cursor = data.GetRowCursor([column]);
        Func<double> read = column.Type switch
        {
            NumberDataViewType when raw == typeof(float) => Getter<float>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(double) => Getter<double>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(int) => Getter<int>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(long) => Getter<long>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(uint) => Getter<uint>(cursor, column, v => v),
            BooleanDataViewType => Getter<bool>(cursor, column, v => v ? 1 : 0),
            _ => throw new ArgumentException($"The label column '{columnName}' has type {column.Type}; a number is needed for regression.", "labelColumnName"),
        };
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            if (!cursor.MoveNext()) throw new ArgumentException($"The label column '{columnName}' ended after {i} rows; {count} were expected.", "data");
            values[i] = (float)read();
        }

        return values;
    }

    private static Func<double> Getter<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, double> convert)
    {
        ValueGetter<T> getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () => { getter(ref value); return convert(value); };
    }

    /// <summary>The labels as class indices in <c>[0, classCount)</c>, or an error naming the first row without one.</summary>
    /// <param name="labelColumnName">The label column, for the message.</param>
    /// <param name="classCount">C.</param>
    /// <exception cref="ArgumentException">A row has no label or one outside the model's classes.</exception>
    public int[] RequireLabels(string labelColumnName, int classCount)
    {
        if (Count == 0) throw new ArgumentException("The data view is empty: there are no rows to evaluate.", "data");
        var result = new int[Count];
        for (int i = 0; i < Count; i++)
        {
            if (Labels[i] is not { } value)
            {
                throw new ArgumentException($"Row {i}: the label '{labelColumnName}' is missing (a key value not in the key's dictionary, or NaN).", "data");
            }

            if (value >= classCount)
            {
                throw new ArgumentOutOfRangeException("data", value, $"Row {i}: label '{labelColumnName}' is class {value}, outside the model's {classCount} classes.");
            }

            result[i] = value;
        }

        return result;
    }

    /// <summary>Class names: the given ones, else the label's key values, else "0".."n-1" for as many as are needed.</summary>
    public IReadOnlyList<string> ClassNames(IReadOnlyList<string>? given, int atLeast)
    {
        if (given is not null) return given;
        if (LabelNames is { } names && names.Count >= atLeast) return names;
        int count = Math.Max(atLeast, Labels.Where(l => l.HasValue).Select(l => l!.Value + 1).DefaultIfEmpty(0).Max());
        return ModelPredictions.IndexNames(count);
    }

    private static string ColumnsOf(DataViewSchema schema) => string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name));

    private static Action<Span<float>> FeatureReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is NumberDataViewType)
        {
            ValueGetter<float> scalar = cursor.GetGetter<float>(column);
            float value = 0;
            return destination => { scalar(ref value); destination[0] = value; };
        }

        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        return destination =>
        {
            getter(ref buffer);
            if (buffer.Length != destination.Length)
            {
                throw new ArgumentException($"Row {cursor.Position} of '{column.Name}' holds {buffer.Length} values; the model expects D = {destination.Length}.", "data");
            }

            buffer.CopyTo(destination);
        };
    }

    private static Func<long, int?> LabelReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        Type raw = column.Type.RawType;
        return column.Type switch
        {
            KeyDataViewType => KeyReader(cursor, column),
            BooleanDataViewType => Reader<bool>(cursor, column, v => v ? 1 : 0),
            NumberDataViewType when raw == typeof(float) => Reader<float>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(double) => Reader<double>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(int) => Reader<int>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(long) => Reader<long>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(uint) => Reader<uint>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(byte) => Reader<byte>(cursor, column, v => v),
            _ => throw new ArgumentException(
                $"The label column '{column.Name}' has type {column.Type}; a key (MapValueToKey), an integer class index or a Boolean is needed.", "labelColumnName"),
        };
    }

    private static Func<long, int?> KeyReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        ValueGetter<uint> getter = cursor.GetGetter<uint>(column);
        uint key = 0;
        return _ => { getter(ref key); return key == 0 ? null : (int)(key - 1); };
    }

    private static Func<long, int?> Reader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, double> convert)
    {
        ValueGetter<T> getter = cursor.GetGetter<T>(column);
        T value = default!;
        return position =>
        {
            getter(ref value);
            double number = convert(value);
            if (double.IsNaN(number)) return null;
            if (number != Math.Floor(number) || number < 0 || number > int.MaxValue)
            {
                throw new ArgumentException(
                    $"Row {position}: label '{column.Name}' is {number.ToString(CultureInfo.InvariantCulture)}, not a class index; map labels to keys with MapValueToKey.", "data");
            }

            return (int)number;
        };
    }

    private static string[]? KeyNamesOf(DataViewSchema.Column column)
    {
        // Key values are text for MapValueToKey on strings, numbers for numeric labels (ML.NET's own rule).
        return column.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type is VectorDataViewType { ItemType: var item } ? item switch
        {
            TextDataViewType => Values<ReadOnlyMemory<char>>(column, v => v.ToString()),
            NumberDataViewType when item.RawType == typeof(float) => Values<float>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            NumberDataViewType when item.RawType == typeof(double) => Values<double>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            NumberDataViewType when item.RawType == typeof(int) => Values<int>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            NumberDataViewType when item.RawType == typeof(uint) => Values<uint>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            NumberDataViewType when item.RawType == typeof(long) => Values<long>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            _ => null,
        } : null;
    }

    private static string[] Values<T>(DataViewSchema.Column column, Func<T, string> format)
    {
        VBuffer<T> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(format).ToArray();
    }
}
