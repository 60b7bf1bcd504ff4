namespace MLNetJacobian.Compute;

/// <summary>One partitioned GEMM call as pool work; each part runs the driver on its band of C.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TKernel">The micro-kernel.</typeparam>
/// <remarks>One instance per calling thread is reused for every call (configured while closed), so dispatch allocates nothing.</remarks>
internal sealed class GemmParallelJob<T, TKernel> : GemmParallelWork
    where T : unmanaged, System.Numerics.INumberBase<T>
    where TKernel : IGemmMicroKernel<T>
{
    [ThreadStatic]
    private static GemmParallelJob<T, TKernel>? ForThisThread;

    private GemmProblem<T> _problem;
    private GemmPartition _partition;

    /// <summary>The calling thread's reusable job, set to the given call.</summary>
    public static GemmParallelJob<T, TKernel> Prepare(in GemmProblem<T> problem, GemmPartition partition)
    {
        var job = ForThisThread ??= new GemmParallelJob<T, TKernel>();
        job._problem = problem;
        job._partition = partition;
        job.Open(partition.Parts);
        return job;
    }

    /// <inheritdoc />
    protected override void Execute(int part)
    {
        var (start, end) = _partition.Band(part);
        if (start >= end) return;
        if (_partition.SplitsRows)
        {
            GemmDriver<T, TKernel>.Run(_problem, start, end, 0, _problem.N);
        }
        else
        {
            GemmDriver<T, TKernel>.Run(_problem, 0, _problem.M, start, end);
        }
    }
}
