namespace MLNetJacobian.Benchmarks.Training;

/// <summary>How an engine contender spreads a training step over its threads.</summary>
public enum StepParallelism
{
    /// <summary>The library's rule (<see cref="MLNetJacobian.Network.RowSharding"/>): row shards, or GEMM bands for small batches.</summary>
    Shards,

    /// <summary>One pass over the whole batch whose GEMMs are split into bands (the step before row sharding).</summary>
    GemmBands,

    /// <summary>Row shards whatever the batch size (one row per shard at least), to measure the rule.</summary>
    ForcedShards,
}
