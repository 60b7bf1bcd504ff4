using System.Diagnostics;

namespace MLNetJacobian.Compute;

/// <summary>
/// The process-wide pool of GEMM worker threads, which join a caller's <see cref="GemmParallelWork"/>.
/// </summary>
/// <remarks>
/// Created lazily; it grows to the largest helper count any <see cref="ManagedGemmProvider"/> has asked for
/// (its thread count minus the calling thread) and never shrinks, so threads cannot pile up with the number of
/// providers or calls. Workers are background threads: they never keep the process alive. After a job a worker
/// spins for <see cref="SpinTime"/> (back-to-back GEMMs in a training step find it awake), then parks on an
/// event. One caller at a time posts to the pool; a caller that finds it busy runs its GEMM alone, which gives
/// the same bits because chunks are bands of C computed with the same arithmetic.
/// </remarks>
internal sealed class GemmWorkerPool
{
    /// <summary>How long an idle worker spins before parking.</summary>
    private static readonly TimeSpan SpinTime = TimeSpan.FromMilliseconds(0.2);

    private static readonly Lazy<GemmWorkerPool> SharedPool = new(() => new GemmWorkerPool());

    private readonly object dispatchLock = new();
    private readonly List<Worker> workers = new();

    private GemmWorkerPool()
    {
    }

    /// <summary>The pool shared by every provider in the process.</summary>
    public static GemmWorkerPool Shared => SharedPool.Value;

    /// <summary>
    /// Runs the opened <paramref name="work"/> on the calling thread and up to <paramref name="helpers"/> workers;
    /// returns when every chunk is done.
    /// </summary>
    public void Run(GemmParallelWork work, int helpers)
    {
        Debug.Assert(helpers >= 1);
        if (Monitor.TryEnter(dispatchLock))
        {
            try
            {
                while (workers.Count < helpers) workers.Add(new Worker(workers.Count + 1));
                for (int index = 0; index < helpers; index++) workers[index].Post(work);
            }
            finally
            {
                Monitor.Exit(dispatchLock);
            }
        }

        work.RunAndClose();
    }

    /// <summary>One worker thread with its own mailbox (the latest work and a post counter).</summary>
    private sealed class Worker
    {
        private readonly ManualResetEventSlim wakeUp = new(false, spinCount: 1);
        private GemmParallelWork? work;
        private long posted;
        private int parked;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"MLNetJacobian GEMM worker {index}" };
            thread.Start();
        }

        public void Post(GemmParallelWork job)
        {
            Volatile.Write(ref work, job);
            Interlocked.Increment(ref posted); // full fence: the work is visible before the counter moves
            if (Volatile.Read(ref parked) != 0) wakeUp.Set();
        }

        private void Loop()
        {
            long seen = 0;
            while (true)
            {
                seen = WaitForPost(seen);
                Volatile.Read(ref work)?.Join();
            }
        }

        /// <summary>Spins, then parks, until the post counter passes <paramref name="seen"/>; returns its value.</summary>
        private long WaitForPost(long seen)
        {
            long spinUntil = Stopwatch.GetTimestamp() + (long)(SpinTime.TotalSeconds * Stopwatch.Frequency);
            long current;
            while ((current = Volatile.Read(ref posted)) == seen)
            {
                if (Stopwatch.GetTimestamp() < spinUntil)
                {
                    Thread.SpinWait(20);
                    continue;
                }

                // Park. The poster moves the counter then reads the flag; we set the flag then read the counter
                // (both with full fences), so at least one of us sees the other and no post is lost.
                wakeUp.Reset();
                Interlocked.Exchange(ref parked, 1);
                if (Volatile.Read(ref posted) == seen) wakeUp.Wait();
                Interlocked.Exchange(ref parked, 0);
            }

            return current;
        }
    }
}
