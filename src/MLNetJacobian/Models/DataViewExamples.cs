using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;

namespace MLNetJacobian.Models;

/// <summary>
/// Feature rows and optional class labels read out of an <see cref="IDataView"/> into memory (or taken from a
/// <see cref="LabeledDataset"/>): the rows models are evaluated on, read through <see cref="DataViewRowReader"/>.
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
            dataset.Labels.Take(count).Select(l => (int?)l).ToArray(), dataset.FeatureCount, dataset.ClassNames)
        {
            LabelValues = dataset.Labels.Take(count).Select(l => (float)l).ToArray(),
        };
    }

    /// <summary>Reads up to <paramref name="maxExamples"/> rows through <see cref="DataViewRowReader"/>.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="featureCount">D, the length the model expects.</param>
    /// <param name="featureColumnName">A vector of Single of D values (or a Single when D is 1).</param>
    /// <param name="labelColumnName">
    /// A key, an integer-valued number or a Boolean column of class indices (a number or Boolean with
    /// <paramref name="labelsAreValues"/>); null for no labels.
    /// </param>
    /// <param name="maxExamples">At most this many rows; null for all.</param>
    /// <param name="labelMapper">
    /// A model that maps the label itself (<c>MapValueToKey</c> in the pipeline): when the data's label is not a key
    /// and the model's output has a key column of that name, that column is read (the class index the model uses).
    /// </param>
    /// <param name="labelsAreValues">Read the label as a number (a regression label, <see cref="LabelValues"/>) instead of a class index.</param>
    /// <exception cref="ArgumentException">A column is missing or has an unusable type, a vector has the wrong length, or a label is not a class index.</exception>
    public static DataViewExamples FromDataView(IDataView data, int featureCount, string featureColumnName, string? labelColumnName, int? maxExamples,
        ITransformer? labelMapper = null, bool labelsAreValues = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        DataViewSchema.Column feature = DataViewRowReader.Column(data.Schema, featureColumnName, "feature", nameof(featureColumnName));
        IDataView? labelView = null;
        DataViewSchema.Column? label = null;
        if (labelColumnName is not null)
        {
            label = data.Schema.GetColumnOrNull(labelColumnName);
            if (labelMapper is not null && label?.Type is not KeyDataViewType
                && labelMapper.Transform(data) is { } transformed && transformed.Schema.GetColumnOrNull(labelColumnName) is { Type: KeyDataViewType } mapped)
            {
                labelView = transformed;
                label = mapped;
            }

            label ??= DataViewRowReader.Column(data.Schema, labelColumnName, "label", nameof(labelColumnName));
            if (labelsAreValues && label.Value.Type is not (NumberDataViewType or BooleanDataViewType))
            {
                throw new ArgumentException($"The label column '{labelColumnName}' is {label.Value.Type}; a number is needed for regression.", nameof(labelColumnName));
            }
        }

        var features = new List<float>();
        var values = new List<float>();
        var labels = new List<int?>();
        using var reader = new DataViewRowReader(data, feature, featureCount, label, labelView: labelView);
        var row = new float[featureCount];
        int limit = maxExamples ?? int.MaxValue;
        while (values.Count < limit && reader.MoveNext())
        {
            reader.ReadFeatures(row);
            features.AddRange(row);
            double value = label is null ? double.NaN : reader.ReadLabel();
            values.Add((float)value);
            labels.Add(labelsAreValues ? null : ClassIndex(value, reader.Position, labelColumnName));
        }

        IReadOnlyList<string>? names = label is { Type: KeyDataViewType } keyed ? DataViewRowReader.KeyNames(keyed) : null;
        return new DataViewExamples(features.ToArray(), labels.ToArray(), featureCount, names) { LabelValues = values.ToArray() };
    }

    /// <summary>The labels read as values (<c>labelsAreValues</c>), or the class indices as numbers; NaN where a row has none.</summary>
    public float[] LabelValues { get; private init; } = [];

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

    /// <summary>A label as a class index: null when missing (NaN), else a non-negative integer or an error naming the row.</summary>
    private static int? ClassIndex(double label, long position, string? column)
    {
        if (double.IsNaN(label)) return null;
        if (label != Math.Floor(label) || label < 0 || label > int.MaxValue)
        {
            throw new ArgumentException(
                $"Row {position}: label '{column}' is {label.ToString(CultureInfo.InvariantCulture)}, not a class index; map labels to keys with MapValueToKey.", "data");
        }

        return (int)label;
    }
}
