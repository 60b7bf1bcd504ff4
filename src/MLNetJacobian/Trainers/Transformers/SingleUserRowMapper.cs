using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Trainers;

/// <summary>
/// Wraps the scoring chain's row mapper so that a row (the one a <c>PredictionEngine</c> keeps) is used by one thread
/// at a time: a getter called while another call on the same row is still running throws
/// <see cref="InvalidOperationException"/> instead of letting two threads drive ONNX Runtime through one row's shared
/// buffers at once, which corrupts native memory and can kill the process.
/// </summary>
internal sealed class SingleUserRowMapper(IRowToRowMapper inner) : IRowToRowMapper
{
    /// <summary>The message of the exception thrown on concurrent use.</summary>
    public const string ConcurrentUseMessage =
        "A PredictionEngine (or another row) over a Jacobian-regularized model was used by two threads at once. PredictionEngine is not " +
        "thread-safe; give each thread its own engine, or take engines from a pool (Microsoft.Extensions.ML's PredictionEnginePool, or an ObjectPool of engines).";

    /// <inheritdoc />
    public DataViewSchema InputSchema => inner.InputSchema;

    /// <inheritdoc />
    public DataViewSchema OutputSchema => inner.OutputSchema;

    /// <inheritdoc />
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) => inner.GetDependencies(dependingColumns);

    /// <inheritdoc />
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) => new GuardedRow(inner.GetRow(input, activeColumns));

    /// <summary>A row whose getters fail fast when called concurrently.</summary>
    internal sealed class GuardedRow(DataViewRow row) : DataViewRow
    {
        private int _busy;

        public override long Position => row.Position;

        public override long Batch => row.Batch;

        public override DataViewSchema Schema => row.Schema;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            ValueGetter<TValue> getter = row.GetGetter<TValue>(column);
            return (ref TValue value) =>
            {
                if (Interlocked.Exchange(ref _busy, 1) != 0) throw new InvalidOperationException(ConcurrentUseMessage);
                try
                {
                    getter(ref value);
                }
                finally
                {
                    Volatile.Write(ref _busy, 0);
                }
            };
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => row.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => row.IsColumnActive(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing) row.Dispose();
            base.Dispose(disposing);
        }
    }
}
