using System.Numerics;
using System.Numerics.Tensors;
using MLNetJacobian.Compute;

namespace MLNetJacobian.Network;

/// <summary>
/// Inference-side passes over a network: logits, input gradients (VJPs) and exact per-example Jacobians, with
/// buffers for up to <see cref="MaxBatchSize"/> rows allocated once. Not thread-safe: use one per thread.
/// </summary>
/// <remarks>
/// The Jacobian is taken of the logits: <c>J(x) = dz/dx</c>, <c>[C, D]</c>. Row <c>c</c> of <c>J</c> is the VJP
/// <c>J^T e_c</c>, so the exact Jacobians of a batch are one VJP pass over <c>C</c> stacked copies of the batch,
/// seeded with the basis vectors. The evaluator reads the network's parameters at each call, so it follows
/// training updates.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class NetworkEvaluator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly NetworkWorkspace<T> _workspace;
    private int _lastForwardRows; // rows of the last forward pass whose activations are still in the workspace; 0 after a Jacobian pass

    /// <summary>Creates an evaluator and allocates its buffers.</summary>
    /// <param name="network">The network to evaluate.</param>
    /// <param name="gemm">The GEMM provider.</param>
    /// <param name="maxBatchSize">The most rows one call accepts (at least 1).</param>
    /// <param name="jacobians">
    /// Whether to allocate the <c>C * maxBatchSize</c> vector rows the Jacobian methods need; without them the evaluator
    /// holds only the forward and backward buffers (logits and input gradients), and the Jacobian methods throw.
    /// </param>
    public NetworkEvaluator(FeedForwardNetwork<T> network, IGemmProvider gemm, int maxBatchSize, bool jacobians = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(gemm);
        if (maxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, "The batch size must be at least 1.");
        Network = network;
        MaxBatchSize = maxBatchSize;
        _workspace = new NetworkWorkspace<T>(network, gemm, maxBatchSize, jacobians ? network.OutputSize * maxBatchSize : 0);
    }

    /// <summary>The network evaluated.</summary>
    public FeedForwardNetwork<T> Network { get; }

    /// <summary>The most rows one call accepts.</summary>
    public int MaxBatchSize { get; }

    /// <summary>Computes the logits of <paramref name="rows"/> rows.</summary>
    /// <param name="x"><c>[rows, D]</c> row-major.</param>
    /// <param name="rows">Number of rows, 1 to <see cref="MaxBatchSize"/>.</param>
    /// <param name="logits"><c>[rows, C]</c>, overwritten.</param>
    public void ComputeLogits(ReadOnlySpan<T> x, int rows, Span<T> logits)
    {
        int classCount = Network.OutputSize;
        CheckBatch(x, rows);
        CheckLength(logits, rows * classCount, nameof(logits));
        RunForward(x, rows);
        _workspace.Values[_workspace.LastBoundary].AsSpan(0, rows * classCount).CopyTo(logits);
        _lastForwardRows = rows;
    }

    /// <summary>
    /// Computes <c>dL/dx_i = J(x_i)^T g_i</c> for each row, given the logit gradient <c>g</c> (the VJP).
    /// </summary>
    /// <param name="x"><c>[rows, D]</c> row-major.</param>
    /// <param name="rows">Number of rows, 1 to <see cref="MaxBatchSize"/>.</param>
    /// <param name="logitGradient"><c>g: [rows, C]</c>.</param>
    /// <param name="inputGradient"><c>[rows, D]</c>, overwritten.</param>
    public void ComputeInputGradient(ReadOnlySpan<T> x, int rows, ReadOnlySpan<T> logitGradient, Span<T> inputGradient)
    {
        int inputSize = Network.InputSize, classCount = Network.OutputSize;
        CheckBatch(x, rows);
        CheckLength(logitGradient, rows * classCount, nameof(logitGradient));
        CheckLength(inputGradient, rows * inputSize, nameof(inputGradient));
        RunForward(x, rows);
        _lastForwardRows = 0;
        _workspace.ClearGradients(rows);
        logitGradient[..(rows * classCount)].CopyTo(_workspace.Gradients[_workspace.LastBoundary]);
        _workspace.BackwardToInput(rows);
        _workspace.Gradients[0].AsSpan(0, rows * inputSize).CopyTo(inputGradient);
    }

    /// <summary>
    /// Computes <c>dL/dx_i = J(x_i)^T g_i</c> at the inputs of the last <see cref="ComputeLogits"/> call, reusing its
    /// activations (one backward pass, no second forward): the caller computes <c>g</c> from those logits in between.
    /// </summary>
    /// <param name="rows">The rows of the last <see cref="ComputeLogits"/> call.</param>
    /// <param name="logitGradient"><c>g: [rows, C]</c>.</param>
    /// <param name="inputGradient"><c>[rows, D]</c>, overwritten.</param>
    /// <exception cref="InvalidOperationException">The last pass was not a <see cref="ComputeLogits"/> call over <paramref name="rows"/> rows.</exception>
    public void ComputeInputGradientAfterLogits(int rows, ReadOnlySpan<T> logitGradient, Span<T> inputGradient)
    {
        int inputSize = Network.InputSize, classCount = Network.OutputSize;
        if (rows != _lastForwardRows || rows < 1)
        {
            throw new InvalidOperationException($"The last forward pass was over {_lastForwardRows} rows by ComputeLogits, not {rows}; call ComputeLogits on the same rows first.");
        }

        CheckLength(logitGradient, rows * classCount, nameof(logitGradient));
        CheckLength(inputGradient, rows * inputSize, nameof(inputGradient));
        _workspace.ClearGradients(rows);
        logitGradient[..(rows * classCount)].CopyTo(_workspace.Gradients[_workspace.LastBoundary]);
        _workspace.BackwardToInput(rows);
        _workspace.Gradients[0].AsSpan(0, rows * inputSize).CopyTo(inputGradient);
        _lastForwardRows = 0;
    }

    /// <summary>Computes the exact Jacobian <c>J(x) = dz/dx</c> of one input.</summary>
    /// <param name="x"><c>[D]</c>.</param>
    /// <param name="jacobian"><c>[C, D]</c> row-major, overwritten.</param>
    public void ComputeJacobian(ReadOnlySpan<T> x, Span<T> jacobian) => ComputeJacobians(x, 1, jacobian);

    /// <summary>Computes the exact Jacobian of each row.</summary>
    /// <param name="x"><c>[rows, D]</c> row-major.</param>
    /// <param name="rows">Number of rows, 1 to <see cref="MaxBatchSize"/>.</param>
    /// <param name="jacobians"><c>[rows, C, D]</c> row-major, overwritten.</param>
    public void ComputeJacobians(ReadOnlySpan<T> x, int rows, Span<T> jacobians)
    {
        int inputSize = Network.InputSize, classCount = Network.OutputSize;
        CheckBatch(x, rows);
        CheckLength(jacobians, rows * classCount * inputSize, nameof(jacobians));
        RunJacobianPass(x, rows);
        // Vector row c * rows + i of boundary 0 is J(x_i)^T e_c, row c of J(x_i).
        ReadOnlySpan<T> transposedRows = _workspace.VectorGradients(0, rows, classCount * rows);
        for (int i = 0; i < rows; i++)
        {
            for (int c = 0; c < classCount; c++)
            {
                transposedRows.Slice((c * rows + i) * inputSize, inputSize)
                    .CopyTo(jacobians.Slice((i * classCount + c) * inputSize, inputSize));
            }
        }
    }

    /// <summary>Computes <c>||J(x_i)||_F^2</c>, the squared Frobenius norm of each row's exact Jacobian.</summary>
    /// <param name="x"><c>[rows, D]</c> row-major.</param>
    /// <param name="rows">Number of rows, 1 to <see cref="MaxBatchSize"/>.</param>
    /// <param name="normsSquared"><c>[rows]</c>, overwritten (accumulated in double).</param>
    public void ComputeJacobianFrobeniusNormsSquared(ReadOnlySpan<T> x, int rows, Span<double> normsSquared)
    {
        int inputSize = Network.InputSize, classCount = Network.OutputSize;
        CheckBatch(x, rows);
        CheckLength(normsSquared, rows, nameof(normsSquared));
        RunJacobianPass(x, rows);
        ReadOnlySpan<T> transposedRows = _workspace.VectorGradients(0, rows, classCount * rows);
        for (int i = 0; i < rows; i++)
        {
            double sum = 0;
            for (int c = 0; c < classCount; c++)
            {
                sum += double.CreateTruncating(TensorPrimitives.SumOfSquares(transposedRows.Slice((c * rows + i) * inputSize, inputSize)));
            }

            normsSquared[i] = sum;
        }
    }

    /// <summary>Returns <c>||J(x)||_F</c> of one input.</summary>
    /// <param name="x"><c>[D]</c>.</param>
    public double ComputeJacobianFrobeniusNorm(ReadOnlySpan<T> x)
    {
        Span<double> normSquared = stackalloc double[1];
        ComputeJacobianFrobeniusNormsSquared(x, 1, normSquared);
        return Math.Sqrt(normSquared[0]);
    }

    private void RunForward(ReadOnlySpan<T> x, int rows)
    {
        x[..(rows * Network.InputSize)].CopyTo(_workspace.Values[0]);
        _workspace.Forward(rows);
    }

    private void RunJacobianPass(ReadOnlySpan<T> x, int rows)
    {
        int classCount = Network.OutputSize;
        if (_workspace.VectorCapacity < classCount * rows)
        {
            throw new InvalidOperationException("This evaluator was created without Jacobian buffers (jacobians: false).");
        }

        RunForward(x, rows);
        _lastForwardRows = 0;
        // Seed: block c holds e_c for every row. v: [C * rows, C]
        Span<T> seeds = _workspace.VectorGradients(_workspace.LastBoundary, rows, classCount * rows);
        seeds.Clear();
        for (int c = 0; c < classCount; c++)
        {
            for (int i = 0; i < rows; i++) seeds[(c * rows + i) * classCount + c] = T.One;
        }

        _workspace.Vjp(rows, rows, classCount);
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
}
