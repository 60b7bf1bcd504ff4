using System.Numerics;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;

namespace MLNetJacobian.Training;

/// <summary>
/// A data loss plus the Jacobian penalty, and its exact gradient:
/// <c>L = sum_i w_i (loss(z_i, y_i) + (lambda / 2) R_i) / sum_i w_i</c>, with <c>z_i</c> the network's raw outputs,
/// <c>loss</c> the <see cref="OutputLoss"/> (softmax cross-entropy, sigmoid log-loss, squared error or Huber) and
/// <c>R_i</c> the estimate of <c>||J(x_i)||_F^2</c>, <c>J = dz/dx</c>, described in <see cref="JacobianPenalty{T}"/>.
/// </summary>
/// <remarks>
/// <para>One <see cref="Compute"/> runs, with every buffer allocated in the constructor:</para>
/// <list type="number">
/// <item>Row order: with a sample fraction below 1 the penalty's <c>m</c> rows are drawn without replacement by a
///   partial Fisher-Yates shuffle and the batch is permuted so they come first (the cross-entropy and the gradient
///   are sums over rows, so the permutation changes nothing else); the VJP then runs on the first <c>m</c> rows only.
///   With the full batch no random number is drawn for this.</item>
/// <item>Forward pass over all rows; the data loss's gradient <c>Delta_L = (w_i / sum w) dloss/dz_i</c> (for the
///   softmax <c>softmax(z_i) - e_(y_i)</c>) into the output gradient rows.</item>
/// <item>When lambda &gt; 0: the penalty's VJP pass and its reverse (<see cref="JacobianPenalty{T}"/>), which add
///   <c>abar</c> into the loss-gradient rows. When lambda = 0 these passes are skipped entirely.</item>
/// <item>With one output (binary, regression) the Jacobian is one row and the penalty is exact: one VJP row per
///   example, seeded with 1, and its reverse; random projections do not apply.</item>
/// <item>One backward pass: for each dense layer a single GEMM
///   <c>dW += [Delta; g]^T [h; ubar]</c> over the <c>B + P m</c> stacked rows, and <c>db += sum_i Delta_i</c>.</item>
/// </list>
/// <para>Not thread-safe: one objective per thread.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class JacobianRegularizedObjective<T> : IBatchObjective<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FeedForwardNetwork<T> _network;
    private readonly NetworkWorkspace<T> _workspace;
    private readonly JacobianPenalty<T> _penalty;
    private readonly int[] _rowOrder;        // [maxBatchSize]: batch row i reads source row rowOrder[i]
    private readonly T[] _orderedTargets;    // [maxBatchSize]
    private readonly T[] _rowWeights;        // [maxBatchSize]: w_i / sum w, in batch order

    /// <summary>Creates the objective and allocates its buffers for up to <paramref name="maxBatchSize"/> rows.</summary>
    /// <param name="network">The network whose parameters the gradient refers to.</param>
    /// <param name="gemm">The GEMM provider.</param>
    /// <param name="maxBatchSize">The largest batch (at least 1).</param>
    /// <param name="penalty">The penalty's settings.</param>
    /// <param name="loss">The head and data loss; null for <see cref="OutputLoss.SoftmaxCrossEntropy"/>.</param>
    /// <exception cref="ArgumentException">The loss does not fit the network's number of outputs, or projections are
    /// asked of a one-output network.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="penalty"/> or <paramref name="maxBatchSize"/> is out of range.</exception>
    public JacobianRegularizedObjective(FeedForwardNetwork<T> network, IGemmProvider gemm, int maxBatchSize,
        JacobianPenaltyOptions penalty, OutputLoss? loss = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(gemm);
        ArgumentNullException.ThrowIfNull(penalty);
        if (maxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, "The batch size must be at least 1.");
        penalty.Validate();
        loss ??= OutputLoss.SoftmaxCrossEntropy;
        loss.CheckOutputCount(network.OutputSize);
        penalty.CheckOutputCount(network.OutputSize);
        _network = network;
        Loss = loss;
        Penalty = penalty;
        MaxBatchSize = maxBatchSize;
        _penalty = new JacobianPenalty<T>(network, penalty, maxBatchSize);
        _workspace = new NetworkWorkspace<T>(network, gemm, maxBatchSize, _penalty.MaxVectorRows);
        _rowOrder = new int[maxBatchSize];
        _orderedTargets = new T[maxBatchSize];
        _rowWeights = new T[maxBatchSize];
    }

    /// <summary>The penalty's settings.</summary>
    public JacobianPenaltyOptions Penalty { get; }

    /// <inheritdoc />
    public OutputLoss Loss { get; }

    /// <summary>The network whose parameters the gradient refers to.</summary>
    public FeedForwardNetwork<T> Network => _network;

    /// <summary>
    /// The source of the random projections (default: uniform on the unit sphere); injectable for tests. Not used
    /// with the exact norm or one output.
    /// </summary>
    public IProjectionSource<T> Projections
    {
        get => _penalty.Projections;
        set => _penalty.Projections = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <inheritdoc />
    public int FeatureCount => _network.InputSize;

    /// <inheritdoc />
    public int OutputCount => _network.OutputSize;

    /// <inheritdoc />
    public int MaxBatchSize { get; }

    /// <inheritdoc />
    public int ParameterCount => _network.ParameterCount;

    /// <inheritdoc />
    public BatchLoss Compute(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, int rows,
        Span<T> gradient, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int inputSize = FeatureCount, outputCount = OutputCount;
        double weightSum = BatchChecks.Validate(this, features, targets, weights, rows, gradient);
        int subsetRows = _penalty.IsActive ? Penalty.SubsetSize(rows) : 0;

        // 1. Row order (the penalty's rows first), then gather the batch into the stacked input buffer.
        for (int i = 0; i < rows; i++) _rowOrder[i] = i;
        if (_penalty.IsActive && subsetRows < rows)
        {
            for (int j = 0; j < subsetRows; j++)
            {
                int pick = random.Next(j, rows);
                (_rowOrder[j], _rowOrder[pick]) = (_rowOrder[pick], _rowOrder[j]);
            }
        }

        Span<T> inputs = _workspace.Values[0];   // x: [rows, D]
        for (int i = 0; i < rows; i++)
        {
            int source = _rowOrder[i];
            features.Slice(source * inputSize, inputSize).CopyTo(inputs.Slice(i * inputSize, inputSize));
            _orderedTargets[i] = targets[source];
            _rowWeights[i] = T.CreateTruncating((weights.IsEmpty ? 1.0 : double.CreateTruncating(weights[source])) / weightSum);
        }

        // 2. Forward (training mode: dropout masks drawn here serve the penalty's passes too) and data loss:
        //    Delta_L [rows, C] = (w_i / sum w) dloss/dz_i.
        _workspace.Forward(rows, random);
        _workspace.ClearHiddenGradients(rows);   // the output rows are overwritten below
        double dataLoss = Loss.Compute<T>(_workspace.Values[_workspace.LastBoundary], outputCount, _orderedTargets, _rowWeights, rows,
            _workspace.Gradients[_workspace.LastBoundary].AsSpan(0, rows * outputCount), out int correct);

        // 3. The penalty's passes (VJP and its reverse), abar merged into the loss-gradient rows.
        double normSquared = double.NaN, penaltyTerm = 0;
        int vectorRows = 0;
        if (_penalty.IsActive)
        {
            normSquared = _penalty.Apply(_workspace, rows, subsetRows, _rowWeights.AsSpan(0, subsetRows), random);
            penaltyTerm = 0.5 * Penalty.JacobianWeight * normSquared;
            vectorRows = _penalty.ProjectionCount * subsetRows;
        }

        // 4. One backward pass: cross-entropy and penalty weight gradients in one GEMM per dense layer, written over
        //    the gradient buffer (every parameter belongs to exactly one layer's slice).
        _workspace.BackwardWithParameters(rows, vectorRows, gradient);
        return new BatchLoss(dataLoss + penaltyTerm, dataLoss, penaltyTerm, normSquared, weightSum, correct, rows);
    }
}
