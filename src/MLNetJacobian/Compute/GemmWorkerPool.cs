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

    private readonly object _dispatchLock = new();
    private readonly List<Worker> _workers = new();

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
        if (Monitor.TryEnter(_dispatchLock))
        {
            try
            {
                while (_workers.Count < helpers) _workers.Add(new Worker(_workers.Count + 1));
                for (int index = 0; index < helpers; index++) _workers[index].Post(work);
            }
            finally
            {
                Monitor.Exit(_dispatchLock);
            }
        }

        work.RunAndClose();
    }

    /// <summary>One worker thread with its own mailbox (the latest work and a post counter).</summary>
    private sealed class Worker
    {
        private readonly ManualResetEventSlim _wakeUp = new(false, spinCount: 1);
        private GemmParallelWork? _work;
        private long _posted;
        private int _parked;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"MLNetJacobian GEMM worker {index}" };
            thread.Start();
        }

        public void Post(GemmParallelWork job)
        {
            Volatile.Write(ref _work, job);
            Interlocked.Increment(ref _posted); // full fence: the work is visible before the counter moves
            if (Volatile.Read(ref _parked) != 0) _wakeUp.Set();
        }

        private void Loop()
        {
            long seen = 0;
            while (true)
            {
                seen = WaitForPost(seen);
                Volatile.Read(ref _work)?.Join();
            }
        }

        /// <summary>Spins, then parks, until the post counter passes <paramref name="seen"/>; returns its value.</summary>
        private long WaitForPost(long seen)
        {
            long spinUntil = Stopwatch.GetTimestamp() + (long)(SpinTime.TotalSeconds * Stopwatch.Frequency);
            long current;
            while ((current = Volatile.Read(ref _posted)) == seen)
            {
                if (Stopwatch.GetTimestamp() < spinUntil)
                {
                    Thread.SpinWait(20);
                    continue;
                }

                // Park. The poster moves the counter then reads the flag; we set the flag then read the counter
                // (both with full fences), so at least one of us sees the other and no post is lost.
                _wakeUp.Reset();
                Interlocked.Exchange(ref _parked, 1);
                if (Volatile.Read(ref _posted) == seen) _wakeUp.Wait();
                Interlocked.Exchange(ref _parked, 0);
            }

            return current;
        }
    }
}
