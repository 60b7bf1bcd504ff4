using System.Numerics;
using System.Numerics.Tensors;
using MLNetJacobian.Compute;

namespace MLNetJacobian.Network;

/// <summary>
/// Inference-side passes over a network: logits, input gradients (VJPs) and exact per-example Jacobians, with
/// buffers for up to <see cref="MaxBatchSize"/> rows allocated once. Not thread-safe: one call at a time (an
/// evaluator built for several threads uses them inside each call).
/// </summary>
/// <remarks>
/// <para>
/// The Jacobian is taken of the logits: <c>J(x) = dz/dx</c>, <c>[C, D]</c>. Row <c>c</c> of <c>J</c> is the VJP
/// <c>J^T e_c</c>, so the exact Jacobians of a batch are one VJP pass over <c>C</c> stacked copies of the batch,
/// seeded with the basis vectors. The evaluator reads the network's parameters at each call, so it follows
/// training updates.
/// </para>
/// <para>
/// An evaluator built for several threads splits each call's rows into shards (<see cref="RowSharding"/>), each
/// with its own buffers and single-threaded GEMMs, or, for batches too small to shard, runs one pass whose GEMMs
/// use every thread. Every row's result is the same bits either way and whatever the thread count.
/// </para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class NetworkEvaluator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Shard[] _shards;
    private readonly SelectableGemmProvider? _firstGemm;
    private readonly ShardedCall _sharded;
    private int _lastForwardRows; // rows of the last ComputeLogits whose activations are still in the shards' buffers; 0 after any other pass

    /// <summary>Creates an evaluator that runs every call on the calling thread's passes with <paramref name="gemm"/>.</summary>
    /// <param name="network">The network to evaluate.</param>
    /// <param name="gemm">The GEMM provider.</param>
    /// <param name="maxBatchSize">The most rows one call accepts (at least 1).</param>
    /// <param name="jacobians">
    /// Whether to allocate the <c>C * maxBatchSize</c> vector rows the Jacobian methods need; without them the evaluator
    /// holds only the forward and backward buffers (logits and input gradients), and the Jacobian methods throw.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatchSize"/> is below 1.</exception>
    public NetworkEvaluator(FeedForwardNetwork<T> network, IGemmProvider gemm, int maxBatchSize, bool jacobians = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(gemm);
        if (maxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, "The batch size must be at least 1.");
        Network = network;
        MaxBatchSize = maxBatchSize;
        Threads = 1;
        _shards = [new Shard(network, gemm, maxBatchSize, jacobians)];
        _sharded = new ShardedCall(this);
    }

    /// <summary>
    /// Creates an evaluator that spreads each call's rows over up to <paramref name="threads"/> threads with the
    /// managed GEMM (<see cref="RowSharding"/>).
    /// </summary>
    /// <param name="network">The network to evaluate.</param>
    /// <param name="maxBatchSize">The most rows one call accepts (at least 1).</param>
    /// <param name="threads">Threads, at least 1.</param>
    /// <param name="jacobians">Whether to allocate the buffers of the Jacobian methods (see the other constructor).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatchSize"/> or <paramref name="threads"/> is below 1.</exception>
    public NetworkEvaluator(FeedForwardNetwork<T> network, int maxBatchSize, int threads, bool jacobians = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (maxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, "The batch size must be at least 1.");
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "The thread count must be at least 1.");
        Network = network;
        MaxBatchSize = maxBatchSize;
        Threads = threads;
        (_firstGemm, IGemmProvider others) = RowSharding.CreateProviders(threads);
        int shardCount = RowSharding.ShardCount(maxBatchSize, threads), capacity = RowSharding.ShardCapacity(maxBatchSize, threads);
        _shards = new Shard[shardCount];
        for (int s = 0; s < shardCount; s++) _shards[s] = new Shard(network, s == 0 ? _firstGemm : others, capacity, jacobians);
        _sharded = new ShardedCall(this);
    }

    private enum Pass
    {
        Logits,
        InputGradient,
        InputGradientAfterLogits,
        Jacobians,
        FrobeniusNormsSquared,
    }

    /// <summary>The network evaluated.</summary>
    public FeedForwardNetwork<T> Network { get; }

    /// <summary>The most rows one call accepts.</summary>
    public int MaxBatchSize { get; }

    /// <summary>The most threads one call uses.</summary>
    public int Threads { get; }

    /// <summary>Computes the logits of <paramref name="rows"/> rows.</summary>
    /// <param name="x"><c>[rows, D]</c> row-major.</param>
    /// <param name="rows">Number of rows, 1 to <see cref="MaxBatchSize"/>.</param>
    /// <param name="logits"><c>[rows, C]</c>, overwritten.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is outside [1, <see cref="MaxBatchSize"/>].</exception>
    /// <exception cref="ArgumentException">A buffer is too short.</exception>
    public void ComputeLogits(ReadOnlySpan<T> x, int rows, Span<T> logits)
    {
        CheckBatch(x, rows);
        CheckLength(logits, rows * Network.OutputSize, nameof(logits));
        Run(Pass.Logits, x, rows, [], logits, []);
        _lastForwardRows = rows;
    }

    /// <summary>
    /// Computes <c>dL/dx_i = J(x_i)^T g_i</c> for each row, given the logit gradient <c>g</c> (the VJP).
    /// </summary>
    /// <param name="x"><c>[rows, D]</c> row-major.</param>
    /// <param name="rows">Number of rows, 1 to <see cref="MaxBatchSize"/>.</param>
    /// <param name="logitGradient"><c>g: [rows, C]</c>.</param>
    /// <param name="inputGradient"><c>[rows, D]</c>, overwritten.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is outside [1, <see cref="MaxBatchSize"/>].</exception>
    /// <exception cref="ArgumentException">A buffer is too short.</exception>
    public void ComputeInputGradient(ReadOnlySpan<T> x, int rows, ReadOnlySpan<T> logitGradient, Span<T> inputGradient)
    {
        CheckBatch(x, rows);
        CheckLength(logitGradient, rows * Network.OutputSize, nameof(logitGradient));
        CheckLength(inputGradient, rows * Network.InputSize, nameof(inputGradient));
        Run(Pass.InputGradient, x, rows, logitGradient, inputGradient, []);
    }

    /// <summary>
    /// Computes <c>dL/dx_i = J(x_i)^T g_i</c> at the inputs of the last <see cref="ComputeLogits"/> call, reusing its
    /// activations (one backward pass, no second forward): the caller computes <c>g</c> from those logits in between.
    /// </summary>
    /// <param name="rows">The rows of the last <see cref="ComputeLogits"/> call.</param>
    /// <param name="logitGradient"><c>g: [rows, C]</c>.</param>
    /// <param name="inputGradient"><c>[rows, D]</c>, overwritten.</param>
    /// <exception cref="InvalidOperationException">The last pass was not a <see cref="ComputeLogits"/> call over <paramref name="rows"/> rows.</exception>
    /// <exception cref="ArgumentException">A buffer is too short.</exception>
    public void ComputeInputGradientAfterLogits(int rows, ReadOnlySpan<T> logitGradient, Span<T> inputGradient)
    {
        if (rows != _lastForwardRows || rows < 1)
        {
            throw new InvalidOperationException($"The last forward pass was over {_lastForwardRows} rows by ComputeLogits, not {rows}; call ComputeLogits on the same rows first.");
        }

        CheckLength(logitGradient, rows * Network.OutputSize, nameof(logitGradient));
        CheckLength(inputGradient, rows * Network.InputSize, nameof(inputGradient));
        // The same rows give the same shards, so every shard still holds the forward pass of its own rows.
        Run(Pass.InputGradientAfterLogits, [], rows, logitGradient, inputGradient, []);
    }

    /// <summary>Computes the exact Jacobian <c>J(x) = dz/dx</c> of one input.</summary>
    /// <param name="x"><c>[D]</c>.</param>
    /// <param name="jacobian"><c>[C, D]</c> row-major, overwritten.</param>
    /// <exception cref="ArgumentException">A buffer is too short.</exception>
    public void ComputeJacobian(ReadOnlySpan<T> x, Span<T> jacobian) => ComputeJacobians(x, 1, jacobian);

    /// <summary>Computes the exact Jacobian of each row.</summary>
    /// <param name="x"><c>[rows, D]</c> row-major.</param>
    /// <param name="rows">Number of rows, 1 to <see cref="MaxBatchSize"/>.</param>
    /// <param name="jacobians"><c>[rows, C, D]</c> row-major, overwritten.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is outside [1, <see cref="MaxBatchSize"/>].</exception>
    /// <exception cref="ArgumentException">A buffer is too short.</exception>
    public void ComputeJacobians(ReadOnlySpan<T> x, int rows, Span<T> jacobians)
    {
        CheckBatch(x, rows);
        CheckLength(jacobians, rows * Network.OutputSize * Network.InputSize, nameof(jacobians));
        CheckJacobianBuffers(rows);
        Run(Pass.Jacobians, x, rows, [], jacobians, []);
    }

    /// <summary>Computes <c>||J(x_i)||_F^2</c>, the squared Frobenius norm of each row's exact Jacobian.</summary>
    /// <param name="x"><c>[rows, D]</c> row-major.</param>
    /// <param name="rows">Number of rows, 1 to <see cref="MaxBatchSize"/>.</param>
    /// <param name="normsSquared"><c>[rows]</c>, overwritten (accumulated in double).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is outside [1, <see cref="MaxBatchSize"/>].</exception>
    /// <exception cref="ArgumentException">A buffer is too short.</exception>
    public void ComputeJacobianFrobeniusNormsSquared(ReadOnlySpan<T> x, int rows, Span<double> normsSquared)
    {
        CheckBatch(x, rows);
        CheckLength(normsSquared, rows, nameof(normsSquared));
        CheckJacobianBuffers(rows);
        Run(Pass.FrobeniusNormsSquared, x, rows, [], [], normsSquared);
    }

    /// <summary>Returns <c>||J(x)||_F</c> of one input.</summary>
    /// <param name="x"><c>[D]</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> is too short.</exception>
    public double ComputeJacobianFrobeniusNorm(ReadOnlySpan<T> x)
    {
        Span<double> normSquared = stackalloc double[1];
        ComputeJacobianFrobeniusNormsSquared(x, 1, normSquared);
        return Math.Sqrt(normSquared[0]);
    }

    /// <summary>Runs <paramref name="pass"/> unsharded (all threads in the GEMMs) or in row shards, by <see cref="RowSharding"/>.</summary>
    private unsafe void Run(Pass pass, ReadOnlySpan<T> x, int rows, ReadOnlySpan<T> logitGradient, Span<T> output, Span<double> norms)
    {
        _lastForwardRows = 0;
        int shardCount = Math.Min(_shards.Length, RowSharding.ShardCount(rows, Threads));
        if (shardCount == 1)
        {
            if (_firstGemm is not null) _firstGemm.UseParallel = Threads > 1;
            _shards[0].Run(pass, x, rows, logitGradient, output, norms);
            return;
        }

        if (_firstGemm is not null) _firstGemm.UseParallel = false;
        fixed (T* xPointer = x)
        fixed (T* gradientPointer = logitGradient)
        fixed (T* outputPointer = output)
        fixed (double* normsPointer = norms)
        {
            _sharded.Prepare(pass, xPointer, gradientPointer, outputPointer, normsPointer, rows, shardCount);
            _sharded.Run(shardCount, Threads);
        }
    }

    private void CheckJacobianBuffers(int rows)
    {
        int shardCount = Math.Min(_shards.Length, RowSharding.ShardCount(rows, Threads));
        if (!_shards[0].HasJacobianBuffers((rows + shardCount - 1) / shardCount))   // every shard has shard 0's capacity
        {
            throw new InvalidOperationException("This evaluator was created without Jacobian buffers (jacobians: false).");
        }
    }

    private void CheckBatch(ReadOnlySpan<T> x, int rows)
    {
        if (rows < 1 || rows > MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The number of rows must lie in [1, {MaxBatchSize}].");
        }

        CheckLength(x, rows * Network.InputSize, nameof(x));
    }

    private static void CheckLength<TElement>(ReadOnlySpan<TElement> buffer, int needed, string name)
    {
        if (buffer.Length < needed)
        {
            throw new ArgumentException($"'{name}' holds {buffer.Length} elements; {needed} are needed.", name);
        }
    }

    /// <summary>One set of buffers and the passes on it; the shard's rows are the call's rows when unsharded.</summary>
    private sealed class Shard(FeedForwardNetwork<T> network, IGemmProvider gemm, int capacity, bool jacobians)
    {
        private readonly NetworkWorkspace<T> _workspace = new(network, gemm, capacity, jacobians ? network.OutputSize * capacity : 0);

        /// <summary>Whether the Jacobian passes of <paramref name="rows"/> rows fit the vector rows.</summary>
        public bool HasJacobianBuffers(int rows) => _workspace.VectorCapacity >= network.OutputSize * rows;

        /// <summary>Runs a pass on <paramref name="rows"/> rows; the buffers hold exactly this shard's rows.</summary>
        public void Run(Pass pass, ReadOnlySpan<T> x, int rows, ReadOnlySpan<T> logitGradient, Span<T> output, Span<double> norms)
        {
            int inputSize = network.InputSize, classCount = network.OutputSize;
            if (pass != Pass.InputGradientAfterLogits)
            {
                x[..(rows * inputSize)].CopyTo(_workspace.Values[0]);
                _workspace.Forward(rows);
            }

            switch (pass)
            {
                case Pass.Logits:
                    _workspace.Values[_workspace.LastBoundary].AsSpan(0, rows * classCount).CopyTo(output);
                    break;
                case Pass.InputGradient:
                case Pass.InputGradientAfterLogits:
                    _workspace.ClearGradients(rows);
                    logitGradient[..(rows * classCount)].CopyTo(_workspace.Gradients[_workspace.LastBoundary]);
                    _workspace.BackwardToInput(rows);
                    _workspace.Gradients[0].AsSpan(0, rows * inputSize).CopyTo(output);
                    break;
                case Pass.Jacobians:
                    // Vector row c * rows + i of boundary 0 is J(x_i)^T e_c, row c of J(x_i).
                    ReadOnlySpan<T> transposedRows = JacobianPass(rows);
                    for (int i = 0; i < rows; i++)
                    {
                        for (int c = 0; c < classCount; c++)
                        {
                            transposedRows.Slice((c * rows + i) * inputSize, inputSize)
                                .CopyTo(output.Slice((i * classCount + c) * inputSize, inputSize));
                        }
                    }

                    break;
                default:
                    ReadOnlySpan<T> vectors = JacobianPass(rows);
                    for (int i = 0; i < rows; i++)
                    {
                        double sum = 0;
                        for (int c = 0; c < classCount; c++)
                        {
                            sum += double.CreateTruncating(TensorPrimitives.SumOfSquares(vectors.Slice((c * rows + i) * inputSize, inputSize)));
                        }

                        norms[i] = sum;
                    }

                    break;
            }
        }

        /// <summary>The VJP pass seeded, for every row, with each basis vector (block c holds e_c); returns the rows of <c>J^T e_c</c>.</summary>
        private ReadOnlySpan<T> JacobianPass(int rows)
        {
            int classCount = network.OutputSize;
            Span<T> seeds = _workspace.VectorGradients(_workspace.LastBoundary, rows, classCount * rows);   // v: [C * rows, C]
            seeds.Clear();
            for (int c = 0; c < classCount; c++)
            {
                for (int i = 0; i < rows; i++) seeds[(c * rows + i) * classCount + c] = T.One;
            }

            _workspace.Vjp(rows, rows, classCount);
            return _workspace.VectorGradients(0, rows, classCount * rows);
        }
    }

    /// <summary>One row shard per chunk: shard s runs the pass on its rows and writes its slice of the outputs.</summary>
    private sealed unsafe class ShardedCall(NetworkEvaluator<T> owner) : ShardJob
    {
        private Pass _pass;
        private T* _x, _logitGradient, _output;
        private double* _norms;
        private int _rows, _shardCount;

        public void Prepare(Pass pass, T* x, T* logitGradient, T* output, double* norms, int rows, int shardCount)
        {
            _pass = pass;
            _x = x;
            _logitGradient = logitGradient;
            _output = output;
            _norms = norms;
            _rows = rows;
            _shardCount = shardCount;
        }

        protected override void Execute(int chunk)
        {
            int start = RowSharding.ShardStart(_rows, _shardCount, chunk), count = RowSharding.ShardStart(_rows, _shardCount, chunk + 1) - start;
            int inputSize = owner.Network.InputSize, classCount = owner.Network.OutputSize;
            int outputWidth = _pass switch
            {
                Pass.Logits => classCount,
                Pass.InputGradient or Pass.InputGradientAfterLogits => inputSize,
                Pass.Jacobians => classCount * inputSize,
                _ => 0,
            };
            owner._shards[chunk].Run(_pass, _x is null ? [] : new ReadOnlySpan<T>(_x + (nint)start * inputSize, count * inputSize), count,
                _logitGradient is null ? [] : new ReadOnlySpan<T>(_logitGradient + (nint)start * classCount, count * classCount),
                _output is null || outputWidth == 0 ? [] : new Span<T>(_output + (nint)start * outputWidth, count * outputWidth),
                _norms is null ? [] : new Span<double>(_norms + start, count));
        }
    }
}
