using System.Numerics.Tensors;
using MLNetJacobian.Models;

namespace MLNetJacobian.Robustness;

/// <summary>
/// The per-thread state of an <see cref="Attack"/>: work buffers sized once for a maximum batch, query counters,
/// and the shared rule that every result is projected onto the epsilon ball and clipped to the input bounds.
/// </summary>
public abstract class AttackWorker
{
    private readonly PerturbationNorm? _norm;
    private LossSeed? _lossSeed;

    /// <summary>Initialises the shared state.</summary>
    /// <param name="model">The attacked model (one thread instance).</param>
    /// <param name="bounds">The input bounds.</param>
    /// <param name="norm">The ball's norm, or null for an attack bounded only by the input box.</param>
    /// <param name="maxRows">The largest batch.</param>
    protected AttackWorker(IModel model, InputBounds bounds, PerturbationNorm? norm, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (maxRows < 1) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "The batch size must be at least 1.");
        Model = model;
        Bounds = bounds;
        _norm = norm;
        MaxRows = maxRows;
        FeatureCount = model.FeatureCount;
        OutputCount = model.OutputCount;
    }

    /// <summary>The attacked model.</summary>
    protected IModel Model { get; }

    /// <summary>The input bounds.</summary>
    protected InputBounds Bounds { get; }

    /// <summary>The largest batch.</summary>
    protected int MaxRows { get; }

    /// <summary>D.</summary>
    protected int FeatureCount { get; }

    /// <summary>C.</summary>
    protected int OutputCount { get; }

    /// <summary>Rows scored by the model (forward passes), summed over all runs of this worker.</summary>
    public long ScoreQueries { get; private set; }

    /// <summary>Rows whose input gradient was computed, summed over all runs of this worker.</summary>
    public long GradientQueries { get; private set; }

    /// <summary>
    /// Input-gradient rows that were exactly zero while the row was still classified correctly (the loss is flat
    /// there: no direction to follow). Misclassified rows are not counted: the DLR loss, for one, is constant once
    /// the true class ranks third.
    /// </summary>
    public long ZeroGradientRows { get; private set; }

    /// <summary>Input-gradient rows holding NaN or infinity.</summary>
    public long NonFiniteGradientRows { get; private set; }

    /// <summary>What the attack is after (classification unless the evaluator sets a regression goal).</summary>
    internal AttackGoal Goal { get; private set; } = AttackGoal.Misclassification;

    /// <summary>Per feature, whether it must keep its clean value (null: every feature may move).</summary>
    internal bool[]? FixedFeatures { get; private set; }

    /// <summary>Sets the goal and the features that may not move (the evaluator calls this before the first run).</summary>
    internal virtual void Configure(AttackGoal goal, bool[]? fixedFeatures)
    {
        Goal = goal;
        FixedFeatures = fixedFeatures;
    }

    /// <summary>
    /// Attacks <paramref name="rows"/> inputs; the result lies in each row's ball and in the bounds.
    /// </summary>
    /// <param name="features">Clean inputs, <c>[rows, D]</c>.</param>
    /// <param name="labels">True classes, <c>[rows]</c>.</param>
    /// <param name="strengths">Epsilon (or noise scale) of each row, <c>[rows]</c>, each at least 0.</param>
    /// <param name="rows">Number of rows, at most the worker's maximum batch.</param>
    /// <param name="random">The source of randomness (seeded by the caller).</param>
    /// <param name="adversarial">Destination, <c>[rows, D]</c>.</param>
    public void Run(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, ReadOnlySpan<float> strengths, int rows, Random random, Span<float> adversarial)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (rows < 1 || rows > MaxRows) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The batch must hold 1 to {MaxRows} rows.");
        int size = rows * FeatureCount;
        if (features.Length < size) throw new ArgumentException($"Expected at least {size} feature values, got {features.Length}.", nameof(features));
        if (adversarial.Length < size) throw new ArgumentException($"Expected room for {size} values, got {adversarial.Length}.", nameof(adversarial));
        if (labels.Length < rows) throw new ArgumentException($"Expected {rows} labels, got {labels.Length}.", nameof(labels));
        if (strengths.Length < rows) throw new ArgumentException($"Expected {rows} strengths, got {strengths.Length}.", nameof(strengths));
        Perturb(features[..size], labels[..rows], strengths[..rows], rows, random, adversarial[..size]);
        ProjectAndClip(features, strengths, rows, adversarial);
    }

    /// <summary>The attack's own work: write candidate adversarial inputs into <paramref name="adversarial"/>.</summary>
    /// <param name="features">Clean inputs, <c>[rows, D]</c>.</param>
    /// <param name="labels">True classes, <c>[rows]</c>.</param>
    /// <param name="strengths">Epsilon or noise scale per row.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="random">The source of randomness.</param>
    /// <param name="adversarial">Destination, <c>[rows, D]</c>.</param>
    protected abstract void Perturb(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, ReadOnlySpan<float> strengths, int rows, Random random, Span<float> adversarial);

    /// <summary>Projects onto each row's ball (when the attack has a norm), then clips to the bounds.</summary>
    /// <remarks>Features that may not move are first reset to their clean values. Clipping after projecting keeps the point in the ball: the box contains the origin, so clipping
    /// moves each coordinate toward it.</remarks>
    /// <param name="features">The ball centres, <c>[rows, D]</c>.</param>
    /// <param name="strengths">Each row's radius.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="perturbed">The inputs, updated in place.</param>
    protected void ProjectAndClip(ReadOnlySpan<float> features, ReadOnlySpan<float> strengths, int rows, Span<float> perturbed)
    {
        int size = rows * FeatureCount, d = FeatureCount;
        if (FixedFeatures is { } fixedFeatures)
        {
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    if (fixedFeatures[j]) perturbed[i * d + j] = features[i * d + j];
                }
            }
        }

        _norm?.Project(features, strengths, rows, FeatureCount, perturbed);
        Bounds.Clip(perturbed[..size]);
    }

    /// <summary>Scores <paramref name="rows"/> inputs and counts the queries.</summary>
    /// <param name="features">Inputs, <c>[rows, D]</c>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="scores">Destination, <c>[rows, C]</c>.</param>
    protected void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> scores)
    {
        Model.ComputeOutputs(features, rows, scores);
        ScoreQueries += rows;
    }

    /// <summary>Logits, losses and input gradients (zero on the fixed features); counts the queries and flags zero or non-finite gradient rows.</summary>
    /// <param name="model">The differentiable model.</param>
    /// <param name="features">Inputs, <c>[rows, D]</c>.</param>
    /// <param name="labels">Classes, <c>[rows]</c>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="logits">Destination, <c>[rows, C]</c>.</param>
    /// <param name="lossValues">Destination, <c>[rows]</c>.</param>
    /// <param name="inputGradient">Destination, <c>[rows, D]</c>.</param>
    protected void ComputeLossGradient(IDifferentiableModel model, ReadOnlySpan<float> features, ReadOnlySpan<int> labels, int rows,
        ILogitLoss loss, Span<float> logits, Span<float> lossValues, Span<float> inputGradient)
    {
        _lossSeed ??= new LossSeed(MaxRows);
        _lossSeed.Set(Goal.LossFor(loss), labels[..rows], OutputCount);
        model.ComputeInputGradient(features, rows, _lossSeed, logits, inputGradient);
        _lossSeed.LossValues.AsSpan(0, rows).CopyTo(lossValues);
        if (FixedFeatures is { } fixedFeatures)
        {
            // A feature that may not move has no say in the step: an L2 step is spent on the moving features only.
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < FeatureCount; j++)
                {
                    if (fixedFeatures[j]) inputGradient[i * FeatureCount + j] = 0f;
                }
            }
        }

        GradientQueries += rows;
        for (int i = 0; i < rows; i++)
        {
            float largest = TensorPrimitives.MaxMagnitude(inputGradient.Slice(i * FeatureCount, FeatureCount));
            if (!float.IsFinite(largest)) NonFiniteGradientRows++;
            else if (largest == 0f && !Goal.IsAchieved(logits.Slice(i * OutputCount, OutputCount), labels[i])) ZeroGradientRows++;
        }
    }

    /// <summary>The arg-max of a row of scores (the first on ties).</summary>
    /// <param name="scores">One row of scores.</param>
    protected static int ArgMax(ReadOnlySpan<float> scores) => ModelPredictions.ArgMax(scores);

    /// <summary>The differentiable model, or an error naming the attack when the model has no gradient.</summary>
    /// <param name="attackName">The attack's name, for the message.</param>
    protected IDifferentiableModel RequireDifferentiable(string attackName) =>
        Model as IDifferentiableModel ?? throw new InvalidOperationException(
            $"The attack '{attackName}' needs input gradients, but the model '{Model.Description}' does not provide them (it is not an IDifferentiableModel).");

    /// <summary>The seed of the model's backward pass: the loss's gradient in the outputs, for the current batch's labels.</summary>
    private sealed class LossSeed(int maxRows) : IOutputGradient
    {
        private readonly int[] _labels = new int[maxRows];   // [B]
        private ILogitLoss _loss = null!;
        private int _outputCount;

        /// <summary>The loss of each row of the last batch, <c>[B]</c>.</summary>
        public float[] LossValues { get; } = new float[maxRows];

        public void Set(ILogitLoss loss, ReadOnlySpan<int> labels, int outputCount)
        {
            _loss = loss;
            _outputCount = outputCount;
            labels.CopyTo(_labels);
        }

        public void Compute(int firstRow, int rows, ReadOnlySpan<float> outputs, Span<float> outputGradient) =>
            _loss.Evaluate(outputs, _labels.AsSpan(firstRow, rows), rows, _outputCount, LossValues.AsSpan(firstRow, rows), outputGradient);
    }
}
