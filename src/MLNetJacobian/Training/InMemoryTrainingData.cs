using System.Numerics;
using MLNetJacobian.Data;

namespace MLNetJacobian.Training;

/// <summary>
/// Training rows held in arrays: features row-major <c>[N, D]</c>, targets <c>[N]</c> and optional weights <c>[N]</c>.
/// Each epoch reads every row exactly once, in stored order or in a random permutation drawn from the given
/// <see cref="Random"/>; the permutation buffer is allocated once, so epochs allocate nothing.
/// </summary>
/// <remarks>
/// The arrays are held, not copied (except class labels, which become targets): do not change them while training
/// reads them. Targets are checked against the loss by the objective; this class checks that they are finite.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class InMemoryTrainingData<T> : ITrainingData<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _features;    // [N, D] row-major
    private readonly T[] _targets;     // [N]
    private readonly T[]? _weights;    // [N] or absent
    private readonly int[] _order;     // [N], this epoch's row order
    private int _position;

    /// <summary>Wraps arrays of rows with class labels (multiclass), validating them.</summary>
    /// <param name="features">Features, row-major <c>[N, D]</c>; every value finite.</param>
    /// <param name="labels">Class index of each row, in <c>[0, classCount)</c>; at least one row.</param>
    /// <param name="featureCount">D, at least 1.</param>
    /// <param name="classCount">C, at least 1.</param>
    /// <param name="weights">Example weights <c>[N]</c>, finite and at least 0, or null for unit weights.</param>
    /// <exception cref="ArgumentException">The shapes disagree or a feature is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label, weight or count is out of range.</exception>
    public InMemoryTrainingData(T[] features, int[] labels, int featureCount, int classCount, T[]? weights = null)
        : this(features, ClassTargets(labels, classCount), featureCount, weights)
    {
        ClassCount = classCount;
    }

    /// <summary>Wraps arrays of rows with numeric targets (a class index, 0 or 1 for binary, the value for regression).</summary>
    /// <param name="features">Features, row-major <c>[N, D]</c>; every value finite.</param>
    /// <param name="targets">The target of each row, finite; at least one row.</param>
    /// <param name="featureCount">D, at least 1.</param>
    /// <param name="weights">Example weights <c>[N]</c>, finite and at least 0, or null for unit weights.</param>
    /// <exception cref="ArgumentException">The shapes disagree, or a feature or target is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A weight or the feature count is out of range.</exception>
    public InMemoryTrainingData(T[] features, T[] targets, int featureCount, T[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "The feature count must be at least 1.");
        if (targets.Length == 0) throw new ArgumentException("The training data has no rows.", nameof(targets));
        if ((long)targets.Length * featureCount != features.Length)
        {
            throw new ArgumentException(
                $"The features hold {features.Length} values but {targets.Length} rows of {featureCount} features need " +
                $"{(long)targets.Length * featureCount}.", nameof(features));
        }

        for (int row = 0; row < targets.Length; row++)
        {
            if (!T.IsFinite(targets[row]))
            {
                throw new ArgumentException($"Row {row} has target {targets[row]}; targets must be finite.", nameof(targets));
            }
        }

        for (int index = 0; index < features.Length; index++)
        {
            if (!T.IsFinite(features[index]))
            {
                throw new ArgumentException(
                    $"Row {index / featureCount}, feature {index % featureCount} is {features[index]}; features must be finite.",
                    nameof(features));
            }
        }

        if (weights is not null)
        {
            if (weights.Length != targets.Length)
            {
                throw new ArgumentException($"There are {weights.Length} weights for {targets.Length} rows.", nameof(weights));
            }

            for (int row = 0; row < weights.Length; row++)
            {
                if (!(T.IsFinite(weights[row]) && weights[row] >= T.Zero))
                {
                    throw new ArgumentOutOfRangeException(nameof(weights), weights[row], $"Row {row} has weight {weights[row]}; weights must be finite and at least 0.");
                }
            }
        }

        _features = features;
        _targets = targets;
        _weights = weights;
        FeatureCount = featureCount;
        _order = new int[targets.Length];
        ResetOrder();
        _position = _order.Length;
    }

    /// <summary>Wraps a <see cref="LabeledDataset"/>, converting its features (and weights) to <typeparamref name="T"/>.</summary>
    /// <param name="dataset">The rows; its class count is C.</param>
    /// <param name="weights">Example weights <c>[N]</c>, or null for unit weights.</param>
    public static InMemoryTrainingData<T> FromDataset(LabeledDataset dataset, float[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var converted = new T[dataset.Features.Length];
        for (int index = 0; index < converted.Length; index++) converted[index] = T.CreateChecked(dataset.Features[index]);
        T[]? convertedWeights = null;
        if (weights is not null)
        {
            convertedWeights = new T[weights.Length];
            for (int row = 0; row < weights.Length; row++) convertedWeights[row] = T.CreateChecked(weights[row]);
        }

        return new InMemoryTrainingData<T>(converted, dataset.Labels, dataset.FeatureCount, dataset.ClassCount, convertedWeights);
    }

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <summary>C, the number of classes when the rows were given class labels, otherwise null.</summary>
    public int? ClassCount { get; }

    /// <inheritdoc />
    public bool HasWeights => _weights is not null;

    /// <summary>N, the number of rows.</summary>
    public int Count => _targets.Length;

    /// <inheritdoc />
    public long? RowCount => _targets.Length;

    /// <inheritdoc />
    /// <remarks>The order restarts from the stored order and is then shuffled (Fisher-Yates), so an epoch's order depends only on the state of <paramref name="shuffleRandom"/>.</remarks>
    public void StartEpoch(Random? shuffleRandom)
    {
        ResetOrder();
        shuffleRandom?.Shuffle(_order);
        _position = 0;
    }

    /// <inheritdoc />
    public int NextBatch(Span<T> features, Span<T> targets, Span<T> weights, int maxRows)
    {
        if (maxRows < 1) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "A batch needs at least 1 row.");
        int rows = Math.Min(maxRows, _order.Length - _position);
        if (rows == 0) return 0;
        if (features.Length < rows * FeatureCount)
        {
            throw new ArgumentException($"The feature buffer holds {features.Length} values; {rows} rows need {rows * FeatureCount}.", nameof(features));
        }

        if (targets.Length < rows) throw new ArgumentException($"The target buffer holds {targets.Length} values; {rows} rows need {rows}.", nameof(targets));
        if (_weights is not null && weights.Length < rows)
        {
            throw new ArgumentException($"The weight buffer holds {weights.Length} values; {rows} rows need {rows}.", nameof(weights));
        }

        int featureCount = FeatureCount;
        for (int i = 0; i < rows; i++)
        {
            int row = _order[_position + i];
            _features.AsSpan(row * featureCount, featureCount).CopyTo(features.Slice(i * featureCount, featureCount));
            targets[i] = _targets[row];
            if (_weights is not null) weights[i] = _weights[row];
        }

        _position += rows;
        return rows;
    }

    private static T[] ClassTargets(int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "The class count must be at least 1.");
        var targets = new T[labels.Length];
        for (int row = 0; row < labels.Length; row++)
        {
            if ((uint)labels[row] >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[row], $"Row {row} has label {labels[row]}, outside [0, {classCount}).");
            }

            targets[row] = T.CreateChecked(labels[row]);
        }

        return targets;
    }

    private void ResetOrder()
    {
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
    }
}
