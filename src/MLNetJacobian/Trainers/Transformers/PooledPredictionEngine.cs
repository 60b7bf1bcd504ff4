using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Trainers;

/// <summary>
/// Thread-safe single-row prediction over any fitted ML.NET model: a pool of <see cref="PredictionEngine{TSrc, TDst}"/>s,
/// each used by one thread at a time (ML.NET's engines are not thread-safe), as Microsoft.Extensions.ML's
/// <c>PredictionEnginePool</c> does for web apps. Engines are created on demand and kept for reuse.
/// </summary>
/// <typeparam name="TInput">The input row class.</typeparam>
/// <typeparam name="TPrediction">The prediction class.</typeparam>
/// <remarks>All engines share the model (and its ONNX Runtime session); each holds only its own row buffers.</remarks>
public sealed class PooledPredictionEngine<TInput, TPrediction> : IDisposable
    where TInput : class
    where TPrediction : class, new()
{
    private readonly ConcurrentBag<PredictionEngine<TInput, TPrediction>> _idle = [];
    private readonly Func<PredictionEngine<TInput, TPrediction>> _create;
    private readonly int _maximumRetained;
    private int _retained;
    private bool _disposed;

    /// <summary>Creates the pool (no engine is created until the first prediction).</summary>
    /// <param name="mlContext">The context that creates the engines.</param>
    /// <param name="model">A fitted model (a loaded zip or a fitted pipeline).</param>
    /// <param name="inputSchemaDefinition">How <typeparamref name="TInput"/> maps to columns (e.g. a vector size), or null.</param>
    /// <param name="outputSchemaDefinition">How columns map to <typeparamref name="TPrediction"/>, or null.</param>
    /// <param name="maximumRetained">Engines kept when idle; default twice the processor count. More may exist under load.</param>
    /// <exception cref="ArgumentNullException"><paramref name="mlContext"/> or <paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumRetained"/> is below 1.</exception>
    public PooledPredictionEngine(MLContext mlContext, ITransformer model, SchemaDefinition? inputSchemaDefinition = null,
        SchemaDefinition? outputSchemaDefinition = null, int? maximumRetained = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        int retained = maximumRetained ?? 2 * Environment.ProcessorCount;
        if (retained < 1) throw new ArgumentOutOfRangeException(nameof(maximumRetained), retained, "maximumRetained must be at least 1.");
        _maximumRetained = retained;
        _create = () => mlContext.Model.CreatePredictionEngine<TInput, TPrediction>(model, ignoreMissingColumns: false,
            inputSchemaDefinition: inputSchemaDefinition, outputSchemaDefinition: outputSchemaDefinition);
        // Fail now, not on the first request, when the classes do not fit the model.
        Return(_create());
    }

    /// <summary>Predicts one row; safe to call from any number of threads at once.</summary>
    /// <param name="example">The input row.</param>
    /// <returns>A new prediction object.</returns>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    public TPrediction Predict(TInput example)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        PredictionEngine<TInput, TPrediction> engine = _idle.TryTake(out PredictionEngine<TInput, TPrediction>? idle) ? idle : _create();
        if (idle is not null) Interlocked.Decrement(ref _retained);
        try
        {
            return engine.Predict(example);
        }
        finally
        {
            Return(engine);
        }
    }

    /// <summary>Disposes the idle engines; engines in use are disposed when returned.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out PredictionEngine<TInput, TPrediction>? engine)) engine.Dispose();
    }

    private void Return(PredictionEngine<TInput, TPrediction> engine)
    {
        if (_disposed || Interlocked.Increment(ref _retained) > _maximumRetained)
        {
            if (!_disposed) Interlocked.Decrement(ref _retained);
            engine.Dispose();
            return;
        }

        _idle.Add(engine);
    }
}
