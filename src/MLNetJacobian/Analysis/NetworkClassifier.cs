using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;

namespace MLNetJacobian.Analysis;

/// <summary>
/// This library's feedforward network seen by the analysis: a batch classifier over its logits and an exact Jacobian
/// source (<see cref="NetworkEvaluator{T}.ComputeJacobian"/>).
/// </summary>
/// <remarks>
/// The scores are the logits <c>z</c>, the predicted class their arg-max, and the Jacobian <c>J = dz/dx</c>
/// (<c>[C, D]</c>), computed exactly by C vector-Jacobian products in precision <typeparamref name="T"/> and widened to
/// double. The evaluator reads the network's parameters at each call. Not thread-safe.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class NetworkClassifier<T> : IBatchClassifier, IJacobianSource where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly NetworkEvaluator<T> _evaluator;
    private readonly T[] _inputs;    // [maxBatch, D]
    private readonly T[] _logits;    // [maxBatch, C]
    private readonly T[] _jacobian;  // [C, D]

    /// <summary>Wraps a network.</summary>
    /// <param name="network">The network.</param>
    /// <param name="classNames">The class names (C of them); null for "0".."C-1".</param>
    /// <param name="gemm">The GEMM provider; null for <see cref="ManagedGemmProvider"/> (the fast managed kernel).</param>
    /// <param name="maxBatchSize">Rows per forward pass; at least 1.</param>
    public NetworkClassifier(FeedForwardNetwork<T> network, IReadOnlyList<string>? classNames = null, IGemmProvider? gemm = null, int maxBatchSize = 512)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (maxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, "The batch size must be at least 1.");
        if (classNames is not null && classNames.Count != network.OutputSize)
        {
            throw new ArgumentException($"{classNames.Count} class names were given for a network with C = {network.OutputSize} outputs.", nameof(classNames));
        }

        _evaluator = new NetworkEvaluator<T>(network, gemm ?? new ManagedGemmProvider(), maxBatchSize);
        FeatureCount = network.InputSize;
        OutputCount = network.OutputSize;
        ClassNames = classNames?.ToArray() ?? Enumerable.Range(0, OutputCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        _inputs = new T[maxBatchSize * FeatureCount];
        _logits = new T[maxBatchSize * OutputCount];
        _jacobian = new T[OutputCount * FeatureCount];
    }

    /// <inheritdoc cref="IBatchClassifier.FeatureCount" />
    public int FeatureCount { get; }

    /// <inheritdoc cref="IBatchClassifier.OutputCount" />
    public int OutputCount { get; }

    /// <inheritdoc cref="IBatchClassifier.OutputKind" />
    public JacobianOutputKind OutputKind => JacobianOutputKind.Logits;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public void Classify(ReadOnlySpan<float> features, int rows, Span<float> scores, Span<int> predictedClasses)
    {
        int d = FeatureCount, c = OutputCount;
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "The row count cannot be negative.");
        if (features.Length != rows * d) throw new ArgumentException($"features has {features.Length} values; rows * D = {rows * d} expected.", nameof(features));
        if (scores.Length < rows * c) throw new ArgumentException($"scores has {scores.Length} values; {rows * c} needed.", nameof(scores));
        if (predictedClasses.Length < rows) throw new ArgumentException($"predictedClasses has {predictedClasses.Length} entries; {rows} needed.", nameof(predictedClasses));
        for (int start = 0; start < rows; start += _evaluator.MaxBatchSize)
        {
            int count = Math.Min(_evaluator.MaxBatchSize, rows - start);
            ReadOnlySpan<T> x = Convert(features.Slice(start * d, count * d));
            _evaluator.ComputeLogits(x, count, _logits.AsSpan(0, count * c));
            for (int r = 0; r < count; r++)
            {
                int best = 0;
                for (int k = 0; k < c; k++)
                {
                    T logit = _logits[r * c + k];
                    scores[(start + r) * c + k] = float.CreateTruncating(logit);
                    if (logit > _logits[r * c + best]) best = k;
                }

                predictedClasses[start + r] = best;
            }
        }
    }

    /// <inheritdoc />
    public void Compute(ReadOnlySpan<float> features, Span<double> outputs, Span<double> jacobian)
    {
        int d = FeatureCount, c = OutputCount;
        if (features.Length != d) throw new ArgumentException($"features has {features.Length} values; D = {d} expected.", nameof(features));
        if (outputs.Length != c) throw new ArgumentException($"outputs has {outputs.Length} entries; C = {c} expected.", nameof(outputs));
        if (jacobian.Length != c * d) throw new ArgumentException($"jacobian has {jacobian.Length} entries; C * D = {c * d} expected.", nameof(jacobian));
        ReadOnlySpan<T> x = Convert(features);
        _evaluator.ComputeLogits(x, 1, _logits.AsSpan(0, c));
        for (int k = 0; k < c; k++) outputs[k] = double.CreateTruncating(_logits[k]);
        _evaluator.ComputeJacobian(x, _jacobian);
        for (int i = 0; i < c * d; i++) jacobian[i] = double.CreateTruncating(_jacobian[i]);
    }

    private ReadOnlySpan<T> Convert(ReadOnlySpan<float> features)
    {
        if (typeof(T) == typeof(float)) return MemoryMarshal.Cast<float, T>(features);
        Span<T> target = _inputs.AsSpan(0, features.Length);
        for (int i = 0; i < features.Length; i++) target[i] = T.CreateTruncating(features[i]);
        return target;
    }
}
