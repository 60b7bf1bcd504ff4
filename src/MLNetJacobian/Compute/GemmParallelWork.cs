using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace MLNetJacobian.Compute;

/// <summary>
/// Work split into numbered, independent chunks that the calling thread and any pool workers that show up in
/// time claim one by one.
/// </summary>
/// <remarks>
/// Chunks are claimed dynamically, so a worker that is late (parked, or descheduled on a busy machine) never
/// holds the caller up before it claims a chunk: the caller claims the rest itself. A worker descheduled while
/// running a chunk it claimed does hold the caller up until it finishes that chunk (with one chunk per thread, as
/// the GEMM uses, that is half the work). The caller closes the work once every chunk is claimed and
/// every worker that joined has left; a worker arriving after that finds it closed and touches nothing.
/// Which thread runs a chunk never changes its result. An instance is reused call after call: it is only
/// reconfigured while closed.
/// </remarks>
internal abstract class GemmParallelWork
{
    /// <summary>The value of <see cref="_participants"/> while the work is closed to workers.</summary>
    private const int Closed = -1;

    private int _participants = Closed;
    private int _nextChunk;
    private int _chunkCount;
    private Exception? _failure;

    /// <summary>Runs chunk <paramref name="chunk"/> (chunks never write the same memory).</summary>
    protected abstract void Execute(int chunk);

    /// <summary>Opens the work with <paramref name="chunks"/> chunks; the caller has configured it while closed.</summary>
    public void Open(int chunks)
    {
        Debug.Assert(Volatile.Read(ref _participants) == Closed);
        _chunkCount = chunks;
        _nextChunk = 0;
        _failure = null;
        Interlocked.Exchange(ref _participants, 0); // publishes the configuration
    }

    /// <summary>Called by a worker: joins if still open, runs chunks until none is left, leaves.</summary>
    public void Join()
    {
        while (true)
        {
            int current = Volatile.Read(ref _participants);
            if (current == Closed) return;
            if (Interlocked.CompareExchange(ref _participants, current + 1, current) == current) break;
        }

        try
        {
            RunChunks();
        }
        catch (Exception error)
        {
            Interlocked.CompareExchange(ref _failure, error, null);
        }
        finally
        {
            Interlocked.Decrement(ref _participants);
        }
    }

    /// <summary>Called by the caller: runs chunks until none is left, then waits for joined workers and closes.</summary>
    public void RunAndClose()
    {
        try
        {
            RunChunks();
        }
        finally
        {
            Volatile.Write(ref _nextChunk, _chunkCount); // after a failure, workers stop claiming
            var spinner = new SpinWait();
            while (Interlocked.CompareExchange(ref _participants, Closed, 0) != 0) spinner.SpinOnce(sleep1Threshold: -1);
        }

        if (_failure is { } error) ExceptionDispatchInfo.Throw(error);
    }

    private void RunChunks()
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref _nextChunk) - 1) < _chunkCount) Execute(chunk);
    }
}
