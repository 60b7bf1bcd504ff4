using System.Numerics;
using System.Runtime.InteropServices;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;

namespace MLNetJacobian.Models;

/// <summary>
/// This library's network as a model: batched logits, exact input gradients of a loss on the logits (one forward
/// and one backward pass), and exact Jacobians (<see cref="NetworkEvaluator{T}.ComputeJacobian"/>).
/// </summary>
/// <remarks>
/// The outputs are the logits <c>z</c> and the Jacobian is <c>J = dz/dx</c> (<c>[K, D]</c>), computed by K
/// vector-Jacobian products in precision <typeparamref name="T"/> and widened to double. Batches larger than
/// the evaluator are processed in slices. The network's parameters are read at each call. Create one from a trained
/// model with <see cref="Trainers.JacobianRegularizedModelParameters.CreateModel"/>; with several threads of its own
/// (the robustness evaluator's), give it one thread so the cores are not oversubscribed. Not thread-safe: use
/// <see cref="CreateThreadInstance"/> per thread.
/// </remarks>
/// <typeparam name="T">float or double (the precision of the passes; inputs and outputs are float).</typeparam>
public sealed class NetworkModel<T> : IDifferentiableModel, IJacobianModel where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FeedForwardNetwork<T> _network;
    private readonly IGemmProvider _gemm;
    private readonly int _maxBatchSize;
    private NetworkEvaluator<T>? _evaluator;   // created on first use, with Jacobian buffers only when a Jacobian is asked for
    private readonly T[] _inputs;              // x converted to T: [maxBatch, D] (unused when T is float)
    private readonly T[] _logits;              // z: [maxBatch, K]
    private readonly T[] _logitGradient;       // g: [maxBatch, K]
    private readonly T[] _inputGradient;       // J^T g: [maxBatch, D] (unused when T is float)
    private readonly float[] _outputs;         // z in float for the seed: [maxBatch, K]
    private readonly float[] _seed;            // g in float: [maxBatch, K]
    private T[] _jacobian = [];                // [K, D]
    private bool _hasJacobianBuffers;

    /// <summary>Wraps a network.</summary>
    /// <param name="network">The network (its logits are the outputs).</param>
    /// <param name="classNames">The class names (K of them, two for one binary output); null for "0".."C-1" (none for regression).</param>
    /// <param name="gemm">The GEMM provider; null for <see cref="ManagedGemmProvider"/> (the fast managed kernel, all cores).</param>
    /// <param name="maxBatchSize">Rows per pass (larger batches are sliced); at least 1.</param>
    /// <param name="description">A description for reports; null to describe the architecture.</param>
    /// <param name="task">What the network predicts; null for multiclass classification when K is at least 2, binary classification when K is 1.</param>
    /// <exception cref="ArgumentException">The class names do not fit the outputs and task.</exception>
    internal NetworkModel(FeedForwardNetwork<T> network, IReadOnlyList<string>? classNames = null, IGemmProvider? gemm = null, int maxBatchSize = 256,
        string? description = null, ModelTask? task = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (maxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, "The batch size must be at least 1.");
        int k = network.OutputSize;
        Task = task ?? (k >= 2 ? ModelTask.MulticlassClassification : ModelTask.BinaryClassification);
        int classes = Task switch { ModelTask.MulticlassClassification => k, ModelTask.BinaryClassification => 2, _ => 0 };
        if (Task != ModelTask.MulticlassClassification && k != 1)
        {
            throw new ArgumentException($"A {Task} network has one output; this one has K = {k}.", nameof(task));
        }

        if (classNames is not null && classNames.Count != classes)
        {
            throw new ArgumentException($"{classNames.Count} class names were given for a {Task} network with K = {k} outputs ({classes} classes expected).", nameof(classNames));
        }

        _network = network;
        _gemm = gemm ?? new ManagedGemmProvider();
        _maxBatchSize = maxBatchSize;
        ClassNames = classNames?.ToArray() ?? ModelPredictions.IndexNames(classes);
        Description = description ?? $"feedforward network {network.Architecture}";
        int d = network.InputSize;
        _inputs = typeof(T) == typeof(float) ? [] : new T[maxBatchSize * d];
        _inputGradient = typeof(T) == typeof(float) ? [] : new T[maxBatchSize * d];
        _logits = new T[maxBatchSize * k];
        _logitGradient = new T[maxBatchSize * k];
        _outputs = new float[maxBatchSize * k];
        _seed = new float[maxBatchSize * k];
    }

    /// <summary>A model of <paramref name="network"/> whose matrix products use <paramref name="numberOfThreads"/> threads (null: all cores).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfThreads"/> or <paramref name="maxBatchSize"/> is below 1.</exception>
    internal static NetworkModel<T> Create(FeedForwardNetwork<T> network, IReadOnlyList<string>? classNames, int? numberOfThreads, int maxBatchSize,
        string? description, ModelTask? task)
    {
        if (numberOfThreads is < 1) throw new ArgumentOutOfRangeException(nameof(numberOfThreads), numberOfThreads, "The thread count must be at least 1.");
        return new NetworkModel<T>(network, classNames, new ManagedGemmProvider(numberOfThreads ?? Environment.ProcessorCount), maxBatchSize, description, task);
    }

    /// <summary>The network.</summary>
    internal FeedForwardNetwork<T> Network => _network;

    /// <inheritdoc />
    public int FeatureCount => _network.InputSize;

    /// <inheritdoc />
    public int OutputCount => _network.OutputSize;

    /// <inheritdoc />
    public ModelTask Task { get; }

    /// <inheritdoc />
    public ModelOutputKind OutputKind => ModelOutputKind.Logits;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public bool IsJacobianExact => true;

    /// <inheritdoc />
    public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> outputs)
    {
        ModelPredictions.CheckBatch(this, features, rows, outputs.Length, nameof(outputs));
        int d = FeatureCount, k = OutputCount;
        NetworkEvaluator<T> evaluator = Evaluator(jacobians: false);
        for (int start = 0; start < rows; start += _maxBatchSize)
        {
            int count = Math.Min(_maxBatchSize, rows - start);
            evaluator.ComputeLogits(Convert(features.Slice(start * d, count * d)), count, _logits.AsSpan(0, count * k));
            Narrow(_logits.AsSpan(0, count * k), outputs.Slice(start * k, count * k));
        }
    }

    /// <inheritdoc />
    public void ComputeInputGradient(ReadOnlySpan<float> features, int rows, IOutputGradient seed, Span<float> outputs, Span<float> inputGradient)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ModelPredictions.CheckBatch(this, features, rows, outputs.Length, nameof(outputs));
        int d = FeatureCount, k = OutputCount;
        if (inputGradient.Length < rows * d) throw new ArgumentException($"inputGradient holds {inputGradient.Length} values; {rows * d} are needed.", nameof(inputGradient));
        NetworkEvaluator<T> evaluator = Evaluator(jacobians: false);
        for (int start = 0; start < rows; start += _maxBatchSize)
        {
            int count = Math.Min(_maxBatchSize, rows - start);
            evaluator.ComputeLogits(Convert(features.Slice(start * d, count * d)), count, _logits.AsSpan(0, count * k));
            Span<float> z = outputs.Slice(start * k, count * k);
            Narrow(_logits.AsSpan(0, count * k), z);
            Span<float> g = _seed.AsSpan(0, count * k);
            seed.Compute(start, count, z, g);
            for (int i = 0; i < count * k; i++) _logitGradient[i] = T.CreateTruncating(g[i]);
            Span<float> target = inputGradient.Slice(start * d, count * d);
            if (typeof(T) == typeof(float))
            {
                evaluator.ComputeInputGradientAfterLogits(count, _logitGradient.AsSpan(0, count * k), MemoryMarshal.Cast<float, T>(target));
            }
            else
            {
                evaluator.ComputeInputGradientAfterLogits(count, _logitGradient.AsSpan(0, count * k), _inputGradient.AsSpan(0, count * d));
                Narrow(_inputGradient.AsSpan(0, count * d), target);
            }
        }
    }

    /// <inheritdoc />
    public void ComputeJacobian(ReadOnlySpan<float> features, Span<double> outputs, Span<double> jacobian)
    {
        ModelPredictions.CheckJacobian(this, features, outputs.Length, jacobian.Length);
        int d = FeatureCount, k = OutputCount;
        NetworkEvaluator<T> evaluator = Evaluator(jacobians: true);
        if (_jacobian.Length == 0) _jacobian = new T[k * d];
        ReadOnlySpan<T> x = Convert(features);
        evaluator.ComputeLogits(x, 1, _logits.AsSpan(0, k));
        for (int i = 0; i < k; i++) outputs[i] = double.CreateTruncating(_logits[i]);
        evaluator.ComputeJacobian(x, _jacobian);
        for (int i = 0; i < k * d; i++) jacobian[i] = double.CreateTruncating(_jacobian[i]);
    }

    /// <summary>
    /// The exact Frobenius norm <c>||J(x)||_F</c> of each row's Jacobian <c>dz/dx</c>, batched (the Jacobians themselves
    /// are not kept).
    /// </summary>
    /// <param name="features">Row-major <c>[rows, D]</c>.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="norms">Receives <c>rows</c> norms.</param>
    /// <exception cref="ArgumentException">A span is shorter than <paramref name="rows"/> asks for.</exception>
    public void ComputeJacobianFrobeniusNorms(ReadOnlySpan<float> features, int rows, Span<double> norms)
    {
        ModelPredictions.CheckBatch(this, features, rows, rows * OutputCount, nameof(features));
        if (norms.Length < rows) throw new ArgumentException($"norms holds {norms.Length} values; {rows} are needed.", nameof(norms));
        int d = FeatureCount;
        NetworkEvaluator<T> evaluator = Evaluator(jacobians: true);
        for (int start = 0; start < rows; start += _maxBatchSize)
        {
            int count = Math.Min(_maxBatchSize, rows - start);
            Span<double> target = norms.Slice(start, count);
            evaluator.ComputeJacobianFrobeniusNormsSquared(Convert(features.Slice(start * d, count * d)), count, target);
            for (int i = 0; i < count; i++) target[i] = Math.Sqrt(target[i]);
        }
    }

    /// <inheritdoc />
    public IModel CreateThreadInstance() => new NetworkModel<T>(_network, ClassNames, _gemm, _maxBatchSize, Description, Task);

    private NetworkEvaluator<T> Evaluator(bool jacobians)
    {
        // The Jacobian buffers hold K vector rows per row: allocated only once a Jacobian is asked for.
        if (_evaluator is null || (jacobians && !_hasJacobianBuffers))
        {
            _evaluator = new NetworkEvaluator<T>(_network, _gemm, _maxBatchSize, jacobians);
            _hasJacobianBuffers = jacobians;
        }

        return _evaluator;
    }

    private ReadOnlySpan<T> Convert(ReadOnlySpan<float> features)
    {
        if (typeof(T) == typeof(float)) return MemoryMarshal.Cast<float, T>(features);
        Span<T> target = _inputs.AsSpan(0, features.Length);
        for (int i = 0; i < features.Length; i++) target[i] = T.CreateTruncating(features[i]);
        return target;
    }

    private static void Narrow(ReadOnlySpan<T> source, Span<float> destination)
    {
        if (typeof(T) == typeof(float))
        {
            MemoryMarshal.Cast<T, float>(source).CopyTo(destination);
            return;
        }

        for (int i = 0; i < source.Length; i++) destination[i] = float.CreateTruncating(source[i]);
    }
}
