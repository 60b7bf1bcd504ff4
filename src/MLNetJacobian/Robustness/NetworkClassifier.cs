using MLNetJacobian.Compute;
using MLNetJacobian.Network;

namespace MLNetJacobian.Robustness;

/// <summary>
/// This library's feedforward network as a differentiable classifier: batched logits and exact input gradients of
/// a loss on the logits, in one forward and one backward pass of the engine.
/// </summary>
/// <remarks>
/// <see cref="ComputeLossGradient"/> runs the forward pass once, evaluates the loss on the logits
/// (<c>g = dL/dz</c>, <c>[rows, C]</c>), and runs the backward pass from <c>g</c> to the input:
/// <c>dL/dx_i = J(x_i)^T g_i</c>. Batches larger than the workspace are processed in slices. The network's
/// parameters are read at each call. With the evaluator's own threads, give the GEMM one thread
/// (<c>new ManagedGemmProvider(1)</c>) so the cores are not oversubscribed.
/// </remarks>
public sealed class NetworkClassifier : IDifferentiableClassifier
{
    private readonly FeedForwardNetwork<float> _network;
    private readonly IGemmProvider _gemm;
    private readonly int _maxBatchSize;
    private readonly NetworkWorkspace<float> _workspace;
    private readonly float[] _logitGradient; // g: [B, C]

    /// <summary>Wraps <paramref name="network"/>.</summary>
    /// <param name="network">The network (its logits are the class scores).</param>
    /// <param name="gemm">The GEMM provider.</param>
    /// <param name="maxBatchSize">Rows per engine pass (larger batches are sliced); at least 1.</param>
    /// <param name="description">A description for reports; null to describe the architecture.</param>
    public NetworkClassifier(FeedForwardNetwork<float> network, IGemmProvider gemm, int maxBatchSize = 256, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(gemm);
        if (maxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, "The batch size must be at least 1.");
        _network = network;
        _gemm = gemm;
        _maxBatchSize = maxBatchSize;
        _workspace = new NetworkWorkspace<float>(network, gemm, maxBatchSize, 0);
        _logitGradient = new float[maxBatchSize * network.OutputSize];
        Description = description ?? $"feedforward network {network.Architecture}";
    }

    /// <inheritdoc />
    public int FeatureCount => _network.InputSize;

    /// <inheritdoc />
    public int ClassCount => _network.OutputSize;

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public void ComputeScores(ReadOnlySpan<float> features, int rows, Span<float> scores)
    {
        int d = FeatureCount, c = ClassCount;
        for (int start = 0; start < rows; start += _maxBatchSize)
        {
            int count = Math.Min(_maxBatchSize, rows - start);
            Forward(features.Slice(start * d, count * d), count);
            _workspace.Values[_workspace.LastBoundary].AsSpan(0, count * c).CopyTo(scores.Slice(start * c, count * c));
        }
    }

    /// <inheritdoc />
    public void ComputeLossGradient(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, int rows, ILogitLoss loss,
        Span<float> logits, Span<float> lossValues, Span<float> inputGradient)
    {
        ArgumentNullException.ThrowIfNull(loss);
        int d = FeatureCount, c = ClassCount;
        for (int start = 0; start < rows; start += _maxBatchSize)
        {
            int count = Math.Min(_maxBatchSize, rows - start);
            Forward(features.Slice(start * d, count * d), count);
            Span<float> z = logits.Slice(start * c, count * c);
            _workspace.Values[_workspace.LastBoundary].AsSpan(0, count * c).CopyTo(z);
            Span<float> g = _logitGradient.AsSpan(0, count * c);
            loss.Evaluate(z, labels.Slice(start, count), count, c, lossValues.Slice(start, count), g);
            _workspace.ClearGradients(count);
            g.CopyTo(_workspace.Gradients[_workspace.LastBoundary]);
            _workspace.BackwardToInput(count);
            _workspace.Gradients[0].AsSpan(0, count * d).CopyTo(inputGradient.Slice(start * d, count * d));
        }
    }

    /// <inheritdoc />
    public IClassifierScores CreateThreadInstance() => new NetworkClassifier(_network, _gemm, _maxBatchSize, Description);

    private void Forward(ReadOnlySpan<float> x, int rows)
    {
        x[..(rows * FeatureCount)].CopyTo(_workspace.Values[0]);
        _workspace.Forward(rows);
    }
}
