using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;

namespace MLNetJacobian.Analysis;

/// <summary>Feature rows and optional labels read out of an <see cref="IDataView"/> (or taken from a <see cref="LabeledDataset"/>).</summary>
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

    /// <summary>The class index of each row, null when unknown (no label column, or a missing key).</summary>
    public int?[] Labels { get; }

    public int FeatureCount { get; }

    /// <summary>The label column's key values, when it is a key type that has them.</summary>
    public IReadOnlyList<string>? LabelNames { get; }

    public int Count => Labels.Length;

    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * FeatureCount, FeatureCount);

    public static DataViewExamples FromDataset(LabeledDataset dataset, int? maxExamples)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int count = Math.Min(dataset.Count, maxExamples ?? int.MaxValue);
        return new DataViewExamples(dataset.Features.AsSpan(0, count * dataset.FeatureCount).ToArray(),
            dataset.Labels.Take(count).Select(l => (int?)l).ToArray(), dataset.FeatureCount, dataset.ClassNames);
    }

    /// <summary>Reads up to <paramref name="maxExamples"/> rows.</summary>
    /// <exception cref="ArgumentException">A column is missing or has an unusable type, or the vector length is not D.</exception>
    public static DataViewExamples FromDataView(IDataView data, int featureCount, string featureColumnName, string? labelColumnName, int? maxExamples)
    {
        ArgumentNullException.ThrowIfNull(data);
        DataViewSchema.Column feature = data.Schema.GetColumnOrNull(featureColumnName)
            ?? throw new ArgumentException($"The data has no feature column '{featureColumnName}'; its columns are: {string.Join(", ", data.Schema.Select(c => c.Name))}.", nameof(featureColumnName));
        if (feature.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException($"Feature column '{featureColumnName}' has type {feature.Type}; a float vector is needed.", nameof(featureColumnName));
        }

        if (vector.Size != 0 && vector.Size != featureCount)
        {
            throw new ArgumentException($"Feature column '{featureColumnName}' holds {vector.Size} values per row; the model expects D = {featureCount}.", nameof(featureColumnName));
        }

        DataViewSchema.Column? label = null;
        if (labelColumnName is not null)
        {
            label = data.Schema.GetColumnOrNull(labelColumnName)
                ?? throw new ArgumentException($"The data has no label column '{labelColumnName}'; pass null to group by the predicted class. Its columns are: {string.Join(", ", data.Schema.Select(c => c.Name))}.", nameof(labelColumnName));
        }

        var features = new List<float>();
        var labels = new List<int?>();
        DataViewSchema.Column[] active = label is { } l ? [feature, l] : [feature];
        using DataViewRowCursor cursor = data.GetRowCursor(active);
        ValueGetter<VBuffer<float>> featureGetter = cursor.GetGetter<VBuffer<float>>(feature);
        Func<int?> labelReader = label is { } column ? LabelReader(cursor, column) : () => null;
        VBuffer<float> buffer = default;
        int limit = maxExamples ?? int.MaxValue;
        while (labels.Count < limit && cursor.MoveNext())
        {
            featureGetter(ref buffer);
            if (buffer.Length != featureCount)
            {
                throw new ArgumentException($"Row {labels.Count} of '{featureColumnName}' holds {buffer.Length} values; the model expects D = {featureCount}.", nameof(data));
            }

            foreach (float value in buffer.DenseValues()) features.Add(value);
            labels.Add(labelReader());
        }

        IReadOnlyList<string>? names = label is { } keyed && keyed.Type is KeyDataViewType ? KeyNamesOf(keyed) : null;
        return new DataViewExamples(features.ToArray(), labels.ToArray(), featureCount, names);
    }

    private static Func<int?> LabelReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case KeyDataViewType when column.Type.RawType == typeof(uint):
            {
                ValueGetter<uint> getter = cursor.GetGetter<uint>(column);
                uint key = 0;
                return () => { getter(ref key); return key == 0 ? null : (int)(key - 1); };
            }

            case NumberDataViewType when column.Type.RawType == typeof(float):
            {
                ValueGetter<float> getter = cursor.GetGetter<float>(column);
                float value = 0;
                return () => { getter(ref value); return float.IsFinite(value) && value >= 0 ? (int)value : null; };
            }

            case NumberDataViewType when column.Type.RawType == typeof(int):
            {
                ValueGetter<int> getter = cursor.GetGetter<int>(column);
                int value = 0;
                return () => { getter(ref value); return value >= 0 ? value : null; };
            }

            case NumberDataViewType when column.Type.RawType == typeof(uint):
            {
                ValueGetter<uint> getter = cursor.GetGetter<uint>(column);
                uint value = 0;
                return () => { getter(ref value); return (int)value; };
            }

            case BooleanDataViewType:
            {
                ValueGetter<bool> getter = cursor.GetGetter<bool>(column);
                bool value = false;
                return () => { getter(ref value); return value ? 1 : 0; };
            }

            default:
                throw new ArgumentException(
                    $"Label column '{column.Name}' has type {column.Type}; a key (uint), float, int, uint or Boolean column of class indices is needed.", "labelColumnName");
        }
    }

    private static string[]? KeyNamesOf(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is null) return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetKeyValues(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    /// <summary>Class names: the given ones, else the label's key values, else "0".."n-1" for as many as are needed.</summary>
    public IReadOnlyList<string> ClassNames(IReadOnlyList<string>? given, int atLeast)
    {
        if (given is not null) return given;
        if (LabelNames is { } names && names.Count >= atLeast) return names;
        int count = Math.Max(atLeast, Labels.Where(l => l.HasValue).Select(l => l!.Value + 1).DefaultIfEmpty(0).Max());
        return Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }
}
