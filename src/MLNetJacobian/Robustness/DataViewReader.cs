using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Robustness;

/// <summary>Reads the feature and label columns of an <see cref="IDataView"/> into arrays, with errors that name the column.</summary>
internal static class DataViewReader
{
    /// <summary>
    /// Class indices in <c>[0, C)</c>: a key label (value - 1) or an integer-valued number. When the model maps the label
    /// (<c>MapValueToKey</c> in the pipeline), the mapped key column of the model's output is read.
    /// </summary>
    public static int[] ReadLabels(ITransformer? model, IDataView data, string labelColumnName, int classCount, int? maxExamples)
    {
        IDataView source = data;
        DataViewSchema.Column? column = data.Schema.GetColumnOrNull(labelColumnName);
        if (model is not null && column?.Type is not KeyDataViewType)
        {
            // A pipeline that maps the label (MapValueToKey) holds the class index in its output.
            IDataView transformed = model.Transform(data);
            if (transformed.Schema.GetColumnOrNull(labelColumnName) is { Type: KeyDataViewType } mapped)
            {
                source = transformed;
                column = mapped;
            }
        }

        if (column is null)
        {
            throw new ArgumentException($"The data has no label column '{labelColumnName}' (nor does the model's output); its columns are: {string.Join(", ", data.Schema.Select(c => c.Name))}. Set RobustnessOptions.LabelColumnName.", nameof(data));
        }

        DataViewSchema.Column label = column.Value;
        int limit = maxExamples ?? int.MaxValue;
        var labels = new List<int>();
        using DataViewRowCursor cursor = source.GetRowCursor([label]);
        Func<long, int> read = label.Type switch
        {
            KeyDataViewType => KeyReader(cursor, label, labelColumnName),
            NumberDataViewType number when number.RawType == typeof(float) => NumberReader<float>(cursor, label, labelColumnName, v => v),
            NumberDataViewType number when number.RawType == typeof(double) => NumberReader<double>(cursor, label, labelColumnName, v => v),
            NumberDataViewType number when number.RawType == typeof(int) => NumberReader<int>(cursor, label, labelColumnName, v => v),
            NumberDataViewType number when number.RawType == typeof(long) => NumberReader<long>(cursor, label, labelColumnName, v => v),
            NumberDataViewType number when number.RawType == typeof(uint) => NumberReader<uint>(cursor, label, labelColumnName, v => v),
            NumberDataViewType number when number.RawType == typeof(byte) => NumberReader<byte>(cursor, label, labelColumnName, v => v),
            _ => throw new ArgumentException($"The label column '{labelColumnName}' has type {label.Type}; a key (MapValueToKey) or an integer class index is needed.", nameof(data)),
        };
        while (labels.Count < limit && cursor.MoveNext())
        {
            int value = read(cursor.Position);
            if (value < 0 || value >= classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(data), value, $"Row {cursor.Position}: label '{labelColumnName}' is class {value}, outside the model's {classCount} classes.");
            }

            labels.Add(value);
        }

        if (labels.Count == 0) throw new ArgumentException("The data view is empty: there are no rows to evaluate.", nameof(data));
        return labels.ToArray();
    }

    /// <summary>The first <paramref name="rows"/> rows of the feature column, dense, <c>[rows, D]</c>.</summary>
    public static float[] ReadFeatures(IDataView data, string featureColumnName, int featureCount, int rows)
    {
        DataViewSchema.Column column = data.Schema.GetColumnOrNull(featureColumnName)
            ?? throw new ArgumentException($"The data has no feature column '{featureColumnName}'; its columns are: {string.Join(", ", data.Schema.Select(c => c.Name))}. Set RobustnessOptions.FeatureColumnName.", nameof(data));
        var features = new float[rows * featureCount];
        using DataViewRowCursor cursor = data.GetRowCursor([column]);
        int row = 0;
        if (column.Type is VectorDataViewType { Size: > 0 } vector && vector.ItemType.RawType == typeof(float))
        {
            if (vector.Size != featureCount) throw new ArgumentException($"The feature column '{featureColumnName}' holds {vector.Size} values; the model expects {featureCount}.", nameof(data));
            ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> buffer = default;
            while (row < rows && cursor.MoveNext())
            {
                getter(ref buffer);
                buffer.CopyTo(features.AsSpan(row * featureCount, featureCount));
                row++;
            }
        }
        else if (column.Type is NumberDataViewType number && number.RawType == typeof(float) && featureCount == 1)
        {
            ValueGetter<float> getter = cursor.GetGetter<float>(column);
            float value = 0;
            while (row < rows && cursor.MoveNext())
            {
                getter(ref value);
                features[row++] = value;
            }
        }
        else
        {
            throw new ArgumentException($"The feature column '{featureColumnName}' has type {column.Type}; a known-size vector of Single (or a Single) is needed.", nameof(data));
        }

        if (row < rows) throw new ArgumentException($"The feature column '{featureColumnName}' has {row} rows but the label column {rows}.", nameof(data));
        return features;
    }

    private static Func<long, int> KeyReader(DataViewRowCursor cursor, DataViewSchema.Column column, string name)
    {
        ValueGetter<uint> getter = cursor.GetGetter<uint>(column);
        return position =>
        {
            uint key = 0;
            getter(ref key);
            if (key == 0) throw new ArgumentException($"Row {position}: the key label '{name}' is missing (value not in the key's dictionary).", "data");
            return (int)(key - 1);
        };
    }

    private static Func<long, int> NumberReader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, string name, Func<T, double> convert)
    {
        ValueGetter<T> getter = cursor.GetGetter<T>(column);
        return position =>
        {
            T value = default!;
            getter(ref value);
            double number = convert(value);
            if (number != Math.Floor(number) || double.IsNaN(number))
            {
                throw new ArgumentException($"Row {position}: label '{name}' is {number}, not a class index; map labels to keys with MapValueToKey.", "data");
            }

            return (int)number;
        };
    }
}
