namespace MLNetJacobian.Compute;

/// <summary>Work split into numbered, independent parts that the <see cref="GemmWorkerPool"/> runs at once.</summary>
internal abstract class GemmParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of the work (parts never write the same memory).</summary>
    public abstract void Execute(int part);
}
