using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Models;

/// <summary>
/// An in-memory <see cref="IDataView"/> with the schema of the user's data whose rows are a batch of feature vectors
/// held in a reusable buffer; every other column reads as its type's zero value. Lets one transformed view of the
/// model be scored batch after batch without building a data view per example.
/// </summary>
internal sealed class FeatureBatchDataView : IDataView
{
    private readonly int _featureColumn;
    private readonly bool _featureIsVector;
    private float[] _buffer = []; // [rows, D]
    private int _rows;

    public FeatureBatchDataView(DataViewSchema sourceSchema, int featureColumn, int featureCount)
    {
        var builder = new DataViewSchema.Builder();
        foreach (DataViewSchema.Column column in sourceSchema)
        {
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        }

        Schema = builder.ToSchema();
        _featureColumn = featureColumn;
        _featureIsVector = Schema[featureColumn].Type is VectorDataViewType;
        FeatureCount = featureCount;
    }

    public int FeatureCount { get; }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    /// <summary>Makes <paramref name="features"/> (<c>[rows, D]</c>) the rows of the view (copied).</summary>
    public void SetRows(ReadOnlySpan<float> features, int rows)
    {
        int size = rows * FeatureCount;
        if (_buffer.Length < size) _buffer = new float[size];
        features[..size].CopyTo(_buffer);
        _rows = rows;
    }

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(FeatureBatchDataView owner) : DataViewRowCursor
    {
        private static readonly MethodInfo ZeroVectorMethod = typeof(Cursor).GetMethod(nameof(ZeroVectorGetter), BindingFlags.NonPublic | BindingFlags.Static)!;
        private readonly int _rows = owner._rows;
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => owner.Schema;

        public override bool MoveNext()
        {
            if (_position + 1 >= _rows) return false;
            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int d = owner.FeatureCount;
            if (column.Index == owner._featureColumn)
            {
                if (owner._featureIsVector)
                {
                    ValueGetter<VBuffer<float>> vector = (ref VBuffer<float> value) =>
                    {
                        VBufferEditor<float> editor = VBufferEditor.Create(ref value, d);
                        owner._buffer.AsSpan((int)_position * d, d).CopyTo(editor.Values);
                        value = editor.Commit();
                    };
                    return (ValueGetter<TValue>)(Delegate)vector;
                }

                ValueGetter<float> scalar = (ref float value) => value = owner._buffer[(int)_position];
                return (ValueGetter<TValue>)(Delegate)scalar;
            }

            if (column.Type is VectorDataViewType { Size: > 0 } vectorType)
            {
                return (ValueGetter<TValue>)ZeroVectorMethod.MakeGenericMethod(vectorType.ItemType.RawType).Invoke(null, [vectorType.Size])!;
            }

            return (ref TValue value) => value = default!;
        }

        private static ValueGetter<VBuffer<TItem>> ZeroVectorGetter<TItem>(int size)
        {
            var zero = new VBuffer<TItem>(size, new TItem[size]);
            return (ref VBuffer<TItem> value) => zero.CopyTo(ref value);
        }
    }
}
