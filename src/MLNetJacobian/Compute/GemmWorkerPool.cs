using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace MLNetJacobian.Compute;

/// <summary>
/// The process-wide pool of GEMM worker threads: the caller runs part 0, parked-or-spinning workers the rest.
/// </summary>
/// <remarks>
/// Created lazily; it grows to the largest thread count any <see cref="ManagedGemmProvider"/> has asked for
/// (minus the calling thread) and never shrinks, so threads cannot leak with the number of providers or calls.
/// Workers are background threads: they never keep the process alive. After a job a worker spins for
/// <see cref="SpinTime"/> (back-to-back GEMMs in a training step find it awake), then parks on an event.
/// One caller at a time owns the pool; a caller that finds it busy runs its GEMM alone, which gives the same
/// bits because parts are bands of C computed with the same arithmetic.
/// </remarks>
internal sealed class GemmWorkerPool
{
    /// <summary>How long an idle worker spins before parking.</summary>
    private static readonly TimeSpan SpinTime = TimeSpan.FromMilliseconds(0.2);

    private static readonly Lazy<GemmWorkerPool> SharedPool = new(() => new GemmWorkerPool());

    private readonly object dispatchLock = new();
    private readonly List<Worker> workers = new();
    private int remaining;
    private Exception? failure;

    private GemmWorkerPool()
    {
    }

    /// <summary>The pool shared by every provider in the process.</summary>
    public static GemmWorkerPool Shared => SharedPool.Value;

    /// <summary>
    /// Runs parts <c>0 .. parts-1</c> of <paramref name="work"/>, part 0 on the calling thread, and returns when all are done.
    /// </summary>
    public void Run(GemmParallelWork work, int parts)
    {
        Debug.Assert(parts >= 2);
        if (!Monitor.TryEnter(dispatchLock))
        {
            for (int part = 0; part < parts; part++) work.Execute(part);
            return;
        }

        try
        {
            while (workers.Count < parts - 1) workers.Add(new Worker(this, workers.Count + 1));
            failure = null;
            Volatile.Write(ref remaining, parts - 1);
            for (int part = 1; part < parts; part++) workers[part - 1].Post(work, part);
            try
            {
                work.Execute(0);
            }
            finally
            {
                var spinner = new SpinWait();
                while (Volatile.Read(ref remaining) > 0) spinner.SpinOnce(sleep1Threshold: -1);
            }

            if (failure is { } error) ExceptionDispatchInfo.Throw(error);
        }
        finally
        {
            Monitor.Exit(dispatchLock);
        }
    }

    private void Finish(Exception? error)
    {
        if (error is not null) Interlocked.CompareExchange(ref failure, error, null);
        Interlocked.Decrement(ref remaining);
    }

    /// <summary>One worker thread with its own mailbox (a job, its part, and a post counter).</summary>
    private sealed class Worker
    {
        private readonly GemmWorkerPool pool;
        private readonly ManualResetEventSlim wakeUp = new(false, spinCount: 1);
        private GemmParallelWork? work;
        private int part;
        private long posted;
        private int parked;

        public Worker(GemmWorkerPool pool, int index)
        {
            this.pool = pool;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"MLNetJacobian GEMM worker {index}" };
            thread.Start();
        }

        public void Post(GemmParallelWork job, int jobPart)
        {
            work = job;
            part = jobPart;
            Interlocked.Increment(ref posted); // full fence: publishes work and part before the counter
            if (Volatile.Read(ref parked) != 0) wakeUp.Set();
        }

        private void Loop()
        {
            long done = 0;
            while (true)
            {
                WaitForPost(done + 1);
                done++;
                GemmParallelWork job = work!;
                Exception? error = null;
                try
                {
                    job.Execute(part);
                }
                catch (Exception exception)
                {
                    error = exception;
                }

                work = null;
                pool.Finish(error);
            }
        }

        private void WaitForPost(long target)
        {
            long spinUntil = Stopwatch.GetTimestamp() + (long)(SpinTime.TotalSeconds * Stopwatch.Frequency);
            while (Volatile.Read(ref posted) < target)
            {
                if (Stopwatch.GetTimestamp() < spinUntil)
                {
                    Thread.SpinWait(20);
                    continue;
                }

                // Park. The poster increments the counter then reads the flag; we set the flag then read the
                // counter (both with full fences), so at least one of us sees the other and no post is lost.
                wakeUp.Reset();
                Interlocked.Exchange(ref parked, 1);
                if (Volatile.Read(ref posted) < target) wakeUp.Wait();
                Interlocked.Exchange(ref parked, 0);
            }
        }
    }
}
