using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Analysis;

/// <summary>
/// A minimal in-memory <see cref="IDataView"/> with one column, a float vector of length D, over a reusable buffer.
/// Refilled between uses so that batches of perturbed rows reach an ML.NET model without per-row engines.
/// </summary>
internal sealed class FeatureRowsDataView : IDataView
{
    private readonly float[] _buffer; // [capacity, D] row-major
    private readonly int _featureCount;
    private int _rows;

    public FeatureRowsDataView(string featureColumnName, int featureCount, int capacity)
    {
        _featureCount = featureCount;
        _buffer = new float[checked(featureCount * capacity)];
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(featureColumnName, new VectorDataViewType(NumberDataViewType.Single, featureCount));
        Schema = builder.ToSchema();
        Capacity = capacity;
    }

    public int Capacity { get; }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    /// <summary>Replaces the rows with <paramref name="features"/> (<c>[rows, D]</c> row-major).</summary>
    public void SetRows(ReadOnlySpan<float> features, int rows)
    {
        System.Diagnostics.Debug.Assert(rows <= Capacity && features.Length == rows * _featureCount);
        features.CopyTo(_buffer);
        _rows = rows;
    }

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(FeatureRowsDataView parent) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 >= parent._rows) return false;
            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index == 0;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != 0 || typeof(TValue) != typeof(VBuffer<float>))
            {
                throw new InvalidOperationException($"Column {column.Index} of type {typeof(TValue).Name} is not available; only the feature vector is.");
            }

            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                int d = parent._featureCount;
                var editor = VBufferEditor.Create(ref value, d);
                parent._buffer.AsSpan(checked((int)_position * d), d).CopyTo(editor.Values);
                value = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);
    }
}
