using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Data;

/// <summary>
/// A small in-memory classification data set: features row-major <c>[N, D]</c> and integer labels in <c>[0, C)</c>.
/// </summary>
/// <param name="Features">Feature values, row-major <c>[N, D]</c>.</param>
/// <param name="Labels">Class index of each row, in <c>[0, ClassCount)</c>.</param>
/// <param name="FeatureCount">D, the number of features per row.</param>
/// <param name="ClassNames">The class names; <c>ClassNames.Count</c> is C.</param>
public sealed record LabeledDataset(float[] Features, int[] Labels, int FeatureCount, IReadOnlyList<string> ClassNames)
{
    /// <summary>N, the number of rows.</summary>
    public int Count => Labels.Length;

    /// <summary>C, the number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The features of row <paramref name="row"/>.</summary>
    /// <param name="row">Row index in <c>[0, Count)</c>.</param>
    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>
    /// Reads the rows of an ML.NET view whose label is one of the classes into memory: the rows the analysis entry points
    /// (<c>JacobianAnalyzer.Analyze</c>, <c>DecisionBoundaryDistance.Measure</c>, <c>ModelComparison.Run</c>) take.
    /// Rows whose label is missing (key 0, e.g. a value <c>MapValueToKey</c> did not know) or beyond the classes are
    /// skipped.
    /// </summary>
    /// <param name="data">The rows.</param>
    /// <param name="classNames">
    /// The classes (C), numbered like the label's key (class k is key k + 1); null for the key's values (its
    /// KeyValues annotation), or "0".."C-1" when it has none.
    /// </param>
    /// <param name="maxRows">At most this many rows (the first ones in stored order); null for all.</param>
    /// <param name="featureColumnName">A known-size vector of Single (D is its size), or a Single (D = 1).</param>
    /// <param name="labelColumnName">A key label, as <c>MapValueToKey</c> writes it.</param>
    /// <param name="labelMapper">
    /// A model that maps the label itself (a <c>MapValueToKey</c> inside it): when the data's label is not a key, the
    /// key label of the model's output (row-aligned with <paramref name="data"/>) is read instead; null for none.
    /// </param>
    /// <returns>The usable rows, in stored order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRows"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">
    /// A column is missing or has the wrong type, <paramref name="classNames"/> has fewer than 2 classes, or no row's label
    /// is one of the classes.
    /// </exception>
    /// <exception cref="InvalidDataException">A row's feature is NaN or infinite (the message names the row, the feature and the column).</exception>
    public static LabeledDataset FromDataView(IDataView data, IReadOnlyList<string>? classNames = null, int? maxRows = null,
        string featureColumnName = "Features", string labelColumnName = "Label", ITransformer? labelMapper = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (maxRows < 1) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "At least 1 row must be read.");
        DataViewSchema.Column feature = DataViewRowReader.Column(data.Schema, featureColumnName, "feature", nameof(featureColumnName));
        int featureCount = feature.Type switch
        {
            VectorDataViewType { Size: > 0 } vector => vector.Size,
            NumberDataViewType => 1,
            _ => throw new ArgumentException($"The feature column '{featureColumnName}' is {feature.Type}; a vector of Single of known size is needed.", nameof(featureColumnName)),
        };
        DataViewSchema.Column label = DataViewRowReader.Column(data.Schema, labelColumnName, "label", nameof(labelColumnName));
        IDataView? labelView = null;
        if (label.Type is not KeyDataViewType && labelMapper?.Transform(data) is { } mapped
            && mapped.Schema.GetColumnOrNull(labelColumnName) is { Type: KeyDataViewType } mappedLabel)
        {
            labelView = mapped;
            label = mappedLabel;
        }

        if (label.Type is not KeyDataViewType { Count: var keyCount } || label.Type.RawType != typeof(uint))
        {
            throw new ArgumentException(
                $"The label column '{labelColumnName}' is {label.Type}; a key numbered like the classes is needed: map it with MapValueToKey, " +
                "or pass the model that maps it as labelMapper.", nameof(labelColumnName));
        }

        classNames ??= DataViewRowReader.KeyNames(label) is { } names && names.Length == (int)keyCount
            ? names
            : Enumerable.Range(0, (int)keyCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (classNames.Count < 2) throw new ArgumentException($"{classNames.Count} class names were given; at least 2 classes are needed.", nameof(classNames));

        var features = new List<float>();
        var labels = new List<int>();
        var row = new float[featureCount];
        int limit = maxRows ?? int.MaxValue;
        using var reader = new DataViewRowReader(data, feature, featureCount, label, labelView: labelView);
        while (labels.Count < limit && reader.MoveNext())
        {
            double index = reader.ReadLabel();
            if (double.IsNaN(index) || index >= classNames.Count) continue;
            int bad = reader.ReadFeatures(row);
            if (bad >= 0)
            {
                throw new InvalidDataException($"Row {reader.Position} has {row[bad].ToString(CultureInfo.InvariantCulture)} in feature {bad} of column '{featureColumnName}'; features must be finite.");
            }

            features.AddRange(row);
            labels.Add((int)index);
        }

        if (labels.Count == 0)
        {
            throw new ArgumentException($"No row's label in column '{labelColumnName}' is one of the {classNames.Count} classes.", nameof(data));
        }

        return new LabeledDataset(features.ToArray(), labels.ToArray(), featureCount, classNames);
    }

    /// <summary>
    /// Splits the rows into two data sets by a seeded random permutation: the first holds
    /// <paramref name="firstFraction"/> of the rows.
    /// </summary>
    /// <param name="firstFraction">Fraction of rows in the first part, in (0, 1).</param>
    /// <param name="seed">Seed of the permutation.</param>
    public (LabeledDataset First, LabeledDataset Second) Split(double firstFraction, int seed)
    {
        if (!(firstFraction > 0 && firstFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, "The split fraction must be in (0, 1).");
        }

        int[] order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        int firstCount = (int)Math.Round(Count * firstFraction);
        return (Take(order.AsSpan(0, firstCount)), Take(order.AsSpan(firstCount)));
    }

    private LabeledDataset Take(ReadOnlySpan<int> rows)
    {
        var features = new float[rows.Length * FeatureCount];
        var labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            Row(rows[i]).CopyTo(features.AsSpan(i * FeatureCount, FeatureCount));
            labels[i] = Labels[rows[i]];
        }

        return new LabeledDataset(features, labels, FeatureCount, ClassNames);
    }
}
