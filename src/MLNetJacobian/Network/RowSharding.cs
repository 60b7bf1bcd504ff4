using MLNetJacobian.Compute;

namespace MLNetJacobian.Network;

/// <summary>
/// How a batch of rows is spread over threads: the rule that chooses between row shards (one per thread, each
/// with single-threaded GEMMs and its own buffers) and GEMM-level parallelism (one pass, each product split into
/// bands), and the split itself.
/// </summary>
/// <remarks>
/// <para>
/// The rule: a batch of <c>rows</c> rows on <c>threads</c> threads runs as
/// <c>S = clamp(floor(rows / MinimumRowsPerShard), 1, threads)</c> shards. With <c>S &gt; 1</c> each shard is a
/// contiguous block of rows (<see cref="ShardStart"/>) and every pass of a shard runs on one thread, so the
/// element-wise work (activations, softmax, the penalty's norms) runs in parallel as well as the products and the
/// threads meet once per batch instead of once per product. With <c>S = 1</c> (small batches) the pass runs once
/// and its GEMMs use every thread.
/// </para>
/// <para>
/// Row shards and GEMM bands give the same logits and Jacobians bit for bit: a row's result never depends on the
/// other rows in its pass (the GEMM's sums run over k in a fixed order whatever the row count). Training sums a
/// parameter gradient over rows, which a sharded step does per shard and then over shards, so the summation order,
/// and with it the last bits, depends on <c>S</c>.
/// </para>
/// </remarks>
internal static class RowSharding
{
    /// <summary>The fewest rows a shard gets: below twice this many rows a batch is not sharded.</summary>
    /// <remarks>
    /// A shard packs every weight matrix for its own rows, a fixed cost per shard that a shard of few rows does
    /// not repay; the figure is the one chosen by the paired measurement in docs/performance.md
    /// ("Batch-parallel step").
    /// </remarks>
    public const int MinimumRowsPerShard = 16;

    /// <summary>The number of shards a batch of <paramref name="rows"/> rows is split into on <paramref name="threads"/> threads.</summary>
    /// <param name="rows">Rows in the batch (at least 1).</param>
    /// <param name="threads">Threads available (at least 1).</param>
    public static int ShardCount(int rows, int threads) => ShardCount(rows, threads, MinimumRowsPerShard);

    /// <summary>The rule with another minimum (benchmarks that measure the rule).</summary>
    internal static int ShardCount(int rows, int threads, int minimumRowsPerShard) =>
        Math.Clamp(rows / Math.Max(1, minimumRowsPerShard), 1, Math.Max(1, threads));

    /// <summary>The first row of shard <paramref name="shard"/> of <paramref name="shards"/> (shard <c>shards</c> gives <paramref name="rows"/>).</summary>
    /// <param name="rows">Rows in the batch.</param>
    /// <param name="shards">Shards the batch is split into.</param>
    /// <param name="shard">The shard, <c>0 .. shards</c>.</param>
    public static int ShardStart(int rows, int shards, int shard) => (int)((long)rows * shard / shards);

    /// <summary>The most rows one shard receives over every batch size up to <paramref name="maxRows"/>.</summary>
    internal static int ShardCapacity(int maxRows, int threads, int minimumRowsPerShard = MinimumRowsPerShard)
    {
        int capacity = 1;
        for (int rows = 1; rows <= maxRows; rows++)
        {
            int shards = ShardCount(rows, threads, minimumRowsPerShard);
            capacity = Math.Max(capacity, (rows + shards - 1) / shards);
        }

        return capacity;
    }

    /// <summary>
    /// The providers a sharded pass needs: shard 0's switches between the parallel provider (unsharded batches) and
    /// a one-thread one; the other shards always use the one-thread provider.
    /// </summary>
    /// <param name="threads">Threads of the parallel provider.</param>
    internal static (SelectableGemmProvider First, IGemmProvider Others) CreateProviders(int threads)
    {
        var single = new ManagedGemmProvider(1);
        return (new SelectableGemmProvider(new ManagedGemmProvider(threads), single), single);
    }
}
