using MLNetJacobian.Compute;

namespace MLNetJacobian.Network;

/// <summary>
/// Work in numbered, independent chunks (row shards, parameter slices) run on the calling thread and up to
/// <c>threads - 1</c> workers of the process-wide <see cref="GemmWorkerPool"/>.
/// </summary>
/// <remarks>
/// Chunks are claimed dynamically (<see cref="GemmParallelWork"/>), so which thread runs a chunk varies from call to
/// call; a chunk's result must therefore depend only on its index and on memory no other chunk writes. Inside a
/// chunk, GEMMs must run on the calling thread (a provider with one thread): the workers are busy with the other
/// chunks. An instance is reused call after call and allocates nothing; one call at a time.
/// </remarks>
internal abstract class ShardJob : GemmParallelWork
{
    /// <summary>Runs chunks <c>0 .. chunks - 1</c> on up to <paramref name="threads"/> threads; returns when all are done.</summary>
    /// <param name="chunks">The number of chunks.</param>
    /// <param name="threads">Threads, the caller's included; 1 runs every chunk in order on the calling thread.</param>
    public void Run(int chunks, int threads)
    {
        if (chunks <= 0) return;
        if (threads <= 1 || chunks == 1)
        {
            for (int chunk = 0; chunk < chunks; chunk++) Execute(chunk);
            return;
        }

        Open(chunks);
        GemmWorkerPool.Shared.Run(this, Math.Min(threads, chunks) - 1);
    }
}
