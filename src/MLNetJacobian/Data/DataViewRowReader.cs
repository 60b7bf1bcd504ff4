using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Data;

/// <summary>
/// The one reader from an ML.NET <see cref="IDataView"/> to rows: a row cursor over a feature column (a vector of
/// Single, or a Single when the model takes one feature), an optional label column and an optional weight column, that
/// checks the columns' types and sizes and copies each row's features into a caller's buffer. Errors name the column
/// and, for a row's values, the row.
/// </summary>
/// <remarks>
/// The trainer's streaming batches (<c>Trainers.DataViewTrainingData</c>), the model layer's examples
/// (<c>Models.DataViewExamples</c>) and the public <see cref="LabeledDataset.FromDataView"/> read through it; each
/// gives the label its own meaning. <see cref="ReadLabel"/> reads a key as its class index <c>key - 1</c> (NaN for the
/// missing key 0), a Boolean as 0 or 1 and a number as its value. The label may come from a second, row-aligned view
/// (a model's output when the model maps the label itself); the two cursors then step in lockstep.
/// </remarks>
internal sealed class DataViewRowReader : IDisposable
{
    private readonly DataViewRowCursor _cursor;
    private readonly DataViewRowCursor? _labelCursor;
    private readonly DataViewSchema.Column _feature;
    private readonly ValueGetter<VBuffer<float>>? _vectorGetter;
    private readonly ValueGetter<float>? _scalarGetter;
    private readonly Func<double>? _labelGetter;
    private readonly ValueGetter<float>? _weightGetter;
    private VBuffer<float> _buffer;
    private float _scalar;

    /// <summary>Checks the columns and opens a cursor over them.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="feature">A vector of Single (known size <paramref name="featureCount"/>, or of variable size checked per row), or a Single when <paramref name="featureCount"/> is 1.</param>
    /// <param name="featureCount">D, the values each row must hold.</param>
    /// <param name="label">The label column (a key, a Boolean or a number), or null for none.</param>
    /// <param name="weight">A Single weight column, or null for none.</param>
    /// <param name="shuffle">Shuffles the rows through the view's own shuffled cursor; null for stored order.</param>
    /// <param name="labelView">A view row-aligned with <paramref name="data"/> that holds <paramref name="label"/>; null when <paramref name="data"/> holds it.</param>
    /// <exception cref="ArgumentException">A column's type is not one of those, or the feature vector's size is not <paramref name="featureCount"/>.</exception>
    public DataViewRowReader(IDataView data, DataViewSchema.Column feature, int featureCount, DataViewSchema.Column? label = null,
        DataViewSchema.Column? weight = null, Random? shuffle = null, IDataView? labelView = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        bool scalar = feature.Type == NumberDataViewType.Single && featureCount == 1;
        bool vector = feature.Type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Single;
        if (!scalar && !vector)
        {
            throw new ArgumentException(
                $"The feature column '{feature.Name}' is {feature.Type}; a vector of Single (or a Single when the model takes 1 feature) is needed.", nameof(data));
        }

        if (feature.Type is VectorDataViewType { Size: var size } && size != 0 && size != featureCount)
        {
            throw new ArgumentException($"The feature column '{feature.Name}' holds {size} values per row; the model expects D = {featureCount}.", nameof(data));
        }

        if (weight is { } weightColumn && weightColumn.Type != NumberDataViewType.Single)
        {
            throw new ArgumentException($"The example weight column '{weightColumn.Name}' is {weightColumn.Type}; it must be a scalar Single.", nameof(data));
        }

        _feature = feature;
        FeatureCount = featureCount;
        var columns = new List<DataViewSchema.Column> { feature };
        if (label is { } inData && labelView is null) columns.Add(inData);
        if (weight is { } weighted) columns.Add(weighted);
        _cursor = data.GetRowCursor(columns, shuffle);
        if (scalar) _scalarGetter = _cursor.GetGetter<float>(feature);
        else _vectorGetter = _cursor.GetGetter<VBuffer<float>>(feature);
        _weightGetter = weight is { } w ? _cursor.GetGetter<float>(w) : null;
        if (label is { } labelColumn)
        {
            _labelCursor = labelView?.GetRowCursor([labelColumn]);
            _labelGetter = LabelGetter(_labelCursor ?? _cursor, labelColumn);
        }
    }

    /// <summary>D, the values copied per row.</summary>
    public int FeatureCount { get; }

    /// <summary>The current row's position in the view (0-based; its stored position when not shuffled).</summary>
    public long Position => _cursor.Position;

    /// <summary>Moves to the next row; false at the end of the data.</summary>
    /// <exception cref="InvalidOperationException">The label view ended before the data.</exception>
    public bool MoveNext()
    {
        if (!_cursor.MoveNext()) return false;
        if (_labelCursor is not null && !_labelCursor.MoveNext())
        {
            throw new InvalidOperationException("The label view ended before the data; the two views are not row-aligned.");
        }

        return true;
    }

    /// <summary>
    /// Copies the current row's features into <paramref name="destination"/> (<c>[D]</c>) and returns the index of the first
    /// NaN or infinite value, or -1 when all are finite.
    /// </summary>
    /// <exception cref="InvalidDataException">A variable-size vector holds other than D values in this row.</exception>
    public int ReadFeatures(Span<float> destination)
    {
        if (_scalarGetter is not null)
        {
            _scalarGetter(ref _scalar);
            destination[0] = _scalar;
        }
        else
        {
            _vectorGetter!(ref _buffer);
            if (_buffer.Length != FeatureCount)
            {
                throw new InvalidDataException($"Row {Position} of the feature column '{_feature.Name}' holds {_buffer.Length} values; the model expects D = {FeatureCount}.");
            }

            _buffer.CopyTo(destination, 0);
        }

        Span<float> row = destination[..FeatureCount];
        return TensorPrimitives.IsFiniteAll<float>(row) ? -1 : IndexOfNonFinite(row);
    }

    /// <summary>The current row's label: a key's class index <c>key - 1</c> (NaN for the missing key 0), a Boolean's 0 or 1, a number's value.</summary>
    public double ReadLabel() => _labelGetter!();

    /// <summary>The current row's weight (1 without a weight column).</summary>
    public float ReadWeight()
    {
        float weight = 1f;
        _weightGetter?.Invoke(ref weight);
        return weight;
    }

    /// <summary>Closes the cursors.</summary>
    public void Dispose()
    {
        _labelCursor?.Dispose();
        _cursor.Dispose();
    }

    /// <summary>The column named <paramref name="name"/>, or an error naming it, its role and the columns present.</summary>
    /// <param name="schema">The data's schema.</param>
    /// <param name="name">The column's name.</param>
    /// <param name="role">What the column is for, e.g. "feature".</param>
    /// <param name="parameterName">The parameter the error names.</param>
    /// <exception cref="ArgumentException">There is no such column.</exception>
    public static DataViewSchema.Column Column(DataViewSchema schema, string name, string role, string parameterName) =>
        schema.GetColumnOrNull(name) ?? throw new ArgumentException(
            $"The {role} column '{name}' is not in the data. Columns present: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"))}.",
            parameterName);

    /// <summary>A key column's KeyValues as text (invariant culture), or null when it has none of a supported type.</summary>
    public static string[]? KeyNames(DataViewSchema.Column column)
    {
        DataViewSchema.Column? keyValues = column.Annotations.Schema.GetColumnOrNull("KeyValues");
        if (keyValues is not { Type: VectorDataViewType { ItemType: PrimitiveDataViewType item } }) return null;
        return item.RawType switch
        {
            Type t when t == typeof(ReadOnlyMemory<char>) => Values<ReadOnlyMemory<char>>(column, keyValues.Value),
            Type t when t == typeof(float) => Values<float>(column, keyValues.Value),
            Type t when t == typeof(double) => Values<double>(column, keyValues.Value),
            Type t when t == typeof(int) => Values<int>(column, keyValues.Value),
            Type t when t == typeof(uint) => Values<uint>(column, keyValues.Value),
            Type t when t == typeof(long) => Values<long>(column, keyValues.Value),
            Type t when t == typeof(ulong) => Values<ulong>(column, keyValues.Value),
            Type t when t == typeof(bool) => Values<bool>(column, keyValues.Value),
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="type"/> is a label type <see cref="ReadLabel"/> reads.</summary>
    public static bool IsLabelType(DataViewType type) => type is KeyDataViewType { RawType: var key } ? key == typeof(uint)
        : type is BooleanDataViewType || (type is NumberDataViewType && NumericTypes.Contains(type.RawType));

    private static readonly Type[] NumericTypes = [typeof(float), typeof(double), typeof(int), typeof(long), typeof(uint), typeof(byte)];

    private static Func<double> LabelGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        Type raw = column.Type.RawType;
        return column.Type switch
        {
            KeyDataViewType when raw == typeof(uint) => Getter<uint>(cursor, column, key => key == 0 ? double.NaN : key - 1.0),
            BooleanDataViewType => Getter<bool>(cursor, column, v => v ? 1 : 0),
            NumberDataViewType when raw == typeof(float) => Getter<float>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(double) => Getter<double>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(int) => Getter<int>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(long) => Getter<long>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(uint) => Getter<uint>(cursor, column, v => v),
            NumberDataViewType when raw == typeof(byte) => Getter<byte>(cursor, column, v => v),
            _ => throw new ArgumentException(
                $"The label column '{column.Name}' is {column.Type}; a key (MapValueToKey), a Boolean or a number is needed.", "data"),
        };
    }

    private static Func<double> Getter<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, double> convert)
    {
        ValueGetter<T> getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return convert(value);
        };
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) return i;
        }

        return -1;
    }

    private static string[] Values<T>(DataViewSchema.Column column, DataViewSchema.Column keyValues)
    {
        VBuffer<T> values = default;
        column.Annotations.GetValue(keyValues.Name, ref values);
        return values.DenseValues().Select(value => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty).ToArray();
    }
}
