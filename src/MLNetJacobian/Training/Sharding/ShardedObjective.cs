using System.Numerics;
using System.Numerics.Tensors;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;

namespace MLNetJacobian.Training;

/// <summary>
/// The batch-parallel step: an <see cref="IBatchObjective{T}"/> that splits each batch into row shards, one per
/// thread, evaluates each shard with its own objective (its own buffers, single-threaded GEMMs) and reduces the
/// shards' gradients in a fixed order.
/// </summary>
/// <remarks>
/// <para>
/// Composition, not a second objective: the shards are whatever objective the factory builds (usually a
/// <see cref="JacobianRegularizedObjective{T}"/> of the same network), so the forward pass, the loss, the penalty's
/// VJP and its reverse, and the backward pass all run on the shard's rows on one thread, and the threads meet once
/// per batch rather than after every product.
/// </para>
/// <para>
/// Per batch of <c>B</c> rows with weights <c>w</c>, the number of shards is
/// <see cref="RowSharding.ShardCount(int, int)"/> (below <c>2 * RowSharding.MinimumRowsPerShard</c> rows the batch runs
/// unsharded on shard 0's objective with every thread in its GEMMs). Shard <c>s</c> takes the contiguous rows
/// <see cref="RowSharding.ShardStart"/>; its objective normalizes by its own weight sum <c>W_s</c>, so its
/// gradient is rescaled by <c>W_s / W</c> (<c>W</c> the whole batch's sum) before the shards are added in order
/// <c>0, 1, ..., S-1</c>, in parallel slices of the parameter buffer. The result is the gradient of
/// <c>sum_i w_i loss_i / W</c>, the one-shard objective, up to floating-point round-off. The loss figures combine the
/// same way; <c>Correct</c> and <c>Rows</c> add up.
/// </para>
/// <para>
/// Randomness: an unsharded batch passes the caller's <see cref="Random"/> to shard 0 unchanged, so one thread gives
/// exactly the wrapped objective's results. A sharded batch draws one seed per shard from it, in shard order, and
/// each shard draws its projections and its penalty row subset from its own reseeded stream. A seed therefore fixes
/// the run for a given thread count (and batch size). What the thread count changes: which projections each row
/// gets, that the penalty's row subset (sample fraction below 1) is drawn per shard, <c>round(p B_s)</c> rows of
/// each shard, a stratified sample that stays unbiased, instead of <c>round(p B)</c> rows of the batch, and the
/// order in which the gradient's sums are added.
/// </para>
/// <para>Allocates nothing per batch. Not thread-safe: one call at a time.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class ShardedObjective<T> : IBatchObjective<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Parameters per reduction slice (a multiple of 64, so slices start on cache lines).</summary>
    private const int ReductionSlice = 16_384;

    private readonly IBatchObjective<T>[] _shards;
    private readonly SelectableGemmProvider? _firstGemm;
    private readonly ShardRandom[] _shardRandoms;
    private readonly T[][] _shardGradients;     // per shard s >= 1: [P]; shard 0 writes into the caller's buffer
    private readonly double[] _weightSums;       // per shard: W_s
    private readonly BatchLoss[] _results;       // per shard
    private readonly StepJob _step;
    private readonly ReduceJob _reduce;
    private readonly int _minimumRowsPerShard;

    /// <summary>Creates the shards; each gets the managed GEMM (one thread; shard 0 switches to all threads when a batch is too small to shard).</summary>
    /// <param name="threads">Threads, at least 1: the most shards per batch.</param>
    /// <param name="maxBatchSize">The largest batch (at least 1).</param>
    /// <param name="createShard">
    /// Builds one shard's objective from a GEMM provider and the most rows the shard receives; every shard must
    /// compute the gradient of the same parameter buffer, with its own buffers.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> or <paramref name="maxBatchSize"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The shards disagree on features, classes or parameters, or accept fewer rows than asked.</exception>
    public ShardedObjective(int threads, int maxBatchSize, Func<IGemmProvider, int, IBatchObjective<T>> createShard)
        : this(threads, maxBatchSize, createShard, null, RowSharding.MinimumRowsPerShard)
    {
    }

    /// <summary>
    /// Creates the shards with explicit providers (tests: <paramref name="providers"/> gives shard s's provider) and
    /// another minimum of rows per shard (benchmarks that measure the rule).
    /// </summary>
    internal ShardedObjective(int threads, int maxBatchSize, Func<IGemmProvider, int, IBatchObjective<T>> createShard,
        Func<int, IGemmProvider>? providers, int minimumRowsPerShard)
    {
        ArgumentNullException.ThrowIfNull(createShard);
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "The thread count must be at least 1.");
        if (maxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, "The batch size must be at least 1.");
        Threads = threads;
        MaxBatchSize = maxBatchSize;
        _minimumRowsPerShard = minimumRowsPerShard;
        int shardCount = RowSharding.ShardCount(maxBatchSize, threads, minimumRowsPerShard);
        int capacity = RowSharding.ShardCapacity(maxBatchSize, threads, minimumRowsPerShard);   // includes the unsharded small batches
        IGemmProvider? others = null;
        if (providers is null) (_firstGemm, others) = RowSharding.CreateProviders(threads);

        _shards = new IBatchObjective<T>[shardCount];
        for (int s = 0; s < shardCount; s++)
        {
            IGemmProvider gemm = providers?.Invoke(s) ?? (s == 0 ? _firstGemm! : others!);
            _shards[s] = createShard(gemm, capacity) ?? throw new ArgumentException("The shard factory returned null.", nameof(createShard));
            CheckShard(_shards[0], _shards[s], capacity);
        }

        ParameterCount = _shards[0].ParameterCount;
        _shardRandoms = new ShardRandom[shardCount];
        _shardGradients = new T[shardCount][];
        _shardGradients[0] = [];
        for (int s = 0; s < shardCount; s++)
        {
            _shardRandoms[s] = new ShardRandom(s);
            if (s > 0) _shardGradients[s] = new T[ParameterCount];
        }

        _weightSums = new double[shardCount];
        _results = new BatchLoss[shardCount];
        _step = new StepJob(this);
        _reduce = new ReduceJob(this);
    }

    /// <summary>The most threads (and shards) a batch uses.</summary>
    public int Threads { get; }

    /// <summary>The shards' objectives (shard 0 also runs unsharded batches).</summary>
    public IReadOnlyList<IBatchObjective<T>> Shards => _shards;

    /// <inheritdoc />
    public int FeatureCount => _shards[0].FeatureCount;

    /// <inheritdoc />
    public int OutputCount => _shards[0].OutputCount;

    /// <inheritdoc />
    public OutputLoss Loss => _shards[0].Loss;

    /// <inheritdoc />
    public int MaxBatchSize { get; }

    /// <inheritdoc />
    public int ParameterCount { get; }

    /// <summary>The number of shards a batch of <paramref name="rows"/> rows runs as.</summary>
    /// <param name="rows">Rows in the batch.</param>
    public int ShardCountFor(int rows) => Math.Min(_shards.Length, RowSharding.ShardCount(rows, Threads, _minimumRowsPerShard));

    /// <inheritdoc />
    public unsafe BatchLoss Compute(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, int rows,
        Span<T> gradient, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double weightSum = BatchChecks.Validate(this, features, targets, weights, rows, gradient);
        int shardCount = ShardCountFor(rows);
        if (shardCount == 1)
        {
            if (_firstGemm is not null) _firstGemm.UseParallel = Threads > 1;
            return _shards[0].Compute(features, targets, weights, rows, gradient, random);
        }

        if (_firstGemm is not null) _firstGemm.UseParallel = false;
        for (int s = 0; s < shardCount; s++)
        {
            _shardRandoms[s].Reseed(random.NextInt64());
            int start = RowSharding.ShardStart(rows, shardCount, s), end = RowSharding.ShardStart(rows, shardCount, s + 1);
            double sum = 0;
            for (int i = start; i < end; i++) sum += weights.IsEmpty ? 1.0 : double.CreateTruncating(weights[i]);
            _weightSums[s] = sum;
        }

        fixed (T* featuresPointer = features)
        fixed (T* targetsPointer = targets)
        fixed (T* weightsPointer = weights)
        fixed (T* gradientPointer = gradient)
        {
            _step.Prepare(featuresPointer, targetsPointer, weights.IsEmpty ? null : weightsPointer, gradientPointer, rows, shardCount);
            _step.Run(shardCount, Threads);
            _reduce.Prepare(gradientPointer, shardCount, weightSum);
            _reduce.Run((ParameterCount + ReductionSlice - 1) / ReductionSlice, Threads);
        }

        return Combine(shardCount, weightSum, rows);
    }

    private BatchLoss Combine(int shardCount, double weightSum, int rows)
    {
        double loss = 0, dataLoss = 0, penalty = 0, normSquared = 0;
        int correct = 0;
        for (int s = 0; s < shardCount; s++)
        {
            BatchLoss result = _results[s];
            correct += result.Correct;
            if (_weightSums[s] == 0) continue;   // unit-weight stand-in run: counts only
            double share = _weightSums[s] / weightSum;
            loss += share * result.Loss;
            dataLoss += share * result.DataLoss;
            penalty += share * result.Penalty;
            normSquared += share * result.JacobianNormSquared;
        }

        return new BatchLoss(loss, dataLoss, penalty, normSquared, weightSum, correct, rows);
    }

    private static void CheckShard(IBatchObjective<T> first, IBatchObjective<T> shard, int capacity)
    {
        if (shard.FeatureCount != first.FeatureCount || shard.OutputCount != first.OutputCount || shard.ParameterCount != first.ParameterCount
            || shard.Loss.Name != first.Loss.Name)
        {
            throw new ArgumentException(
                $"The shard objectives disagree: {shard.FeatureCount} features, {shard.OutputCount} outputs, {shard.ParameterCount} parameters, " +
                $"loss {shard.Loss} against {first.FeatureCount}, {first.OutputCount}, {first.ParameterCount}, {first.Loss}.", "createShard");
        }

        if (shard.MaxBatchSize < capacity)
        {
            throw new ArgumentException($"A shard objective accepts {shard.MaxBatchSize} rows; {capacity} were asked for.", "createShard");
        }
    }

    /// <summary>Runs one shard per chunk: shard s evaluates its rows into its own gradient buffer.</summary>
    private sealed unsafe class StepJob(ShardedObjective<T> owner) : ShardJob
    {
        private T* _features, _targets, _weights, _gradient;
        private int _rows, _shardCount;

        public void Prepare(T* features, T* targets, T* weights, T* gradient, int rows, int shardCount)
        {
            _features = features;
            _targets = targets;
            _weights = weights;
            _gradient = gradient;
            _rows = rows;
            _shardCount = shardCount;
        }

        protected override void Execute(int chunk)
        {
            int start = RowSharding.ShardStart(_rows, _shardCount, chunk), end = RowSharding.ShardStart(_rows, _shardCount, chunk + 1);
            int count = end - start, featureCount = owner.FeatureCount;
            var shardFeatures = new ReadOnlySpan<T>(_features + (nint)start * featureCount, count * featureCount);
            var shardTargets = new ReadOnlySpan<T>(_targets + start, count);
            // A shard whose weights are all zero contributes nothing; it runs with unit weights only for its counts.
            ReadOnlySpan<T> shardWeights = _weights is null || owner._weightSums[chunk] == 0 ? [] : new ReadOnlySpan<T>(_weights + start, count);
            Span<T> shardGradient = chunk == 0 ? new Span<T>(_gradient, owner.ParameterCount) : owner._shardGradients[chunk];
            owner._results[chunk] = owner._shards[chunk].Compute(shardFeatures, shardTargets, shardWeights, count, shardGradient,
                owner._shardRandoms[chunk]);
        }
    }

    /// <summary>Reduces one slice of the parameters per chunk: <c>g = sum_s (W_s / W) g_s</c>, shards in order.</summary>
    private sealed unsafe class ReduceJob(ShardedObjective<T> owner) : ShardJob
    {
        private T* _gradient;
        private int _shardCount;
        private double _weightSum;

        public void Prepare(T* gradient, int shardCount, double weightSum)
        {
            _gradient = gradient;
            _shardCount = shardCount;
            _weightSum = weightSum;
        }

        protected override void Execute(int chunk)
        {
            int start = chunk * ReductionSlice, length = Math.Min(ReductionSlice, owner.ParameterCount - start);
            var target = new Span<T>(_gradient + start, length);
            if (owner._weightSums[0] == 0)
            {
                target.Clear();
            }
            else
            {
                TensorPrimitives.Multiply(target, T.CreateTruncating(owner._weightSums[0] / _weightSum), target);
            }

            for (int s = 1; s < _shardCount; s++)
            {
                if (owner._weightSums[s] == 0) continue;
                TensorPrimitives.MultiplyAdd(owner._shardGradients[s].AsSpan(start, length), T.CreateTruncating(owner._weightSums[s] / _weightSum),
                    target, target);
            }
        }
    }
}
