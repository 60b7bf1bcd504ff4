using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>The argument checks of <see cref="IBatchObjective{T}.Compute"/>, shared by the objectives.</summary>
internal static class BatchChecks
{
    /// <summary>
    /// Throws unless the batch fits <paramref name="objective"/>: row count, buffer lengths, targets valid for its loss,
    /// weights finite and non-negative with a positive sum (rows are named by their index in the batch). Returns the
    /// weight sum <c>W</c> (the row count for unit weights).
    /// </summary>
    public static double Validate<T>(IBatchObjective<T> objective, ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights,
        int rows, Span<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int maxBatchSize = objective.MaxBatchSize, featureCount = objective.FeatureCount, parameterCount = objective.ParameterCount;
        if (rows < 1 || rows > maxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The number of rows must lie in [1, {maxBatchSize}].");
        }

        if (features.Length < rows * featureCount)
        {
            throw new ArgumentException($"'features' holds {features.Length} elements; {rows} x {featureCount} are needed.", nameof(features));
        }

        if (targets.Length < rows) throw new ArgumentException($"'targets' holds {targets.Length} targets; {rows} are needed.", nameof(targets));
        if (!weights.IsEmpty && weights.Length < rows)
        {
            throw new ArgumentException($"'weights' holds {weights.Length} weights; {rows} (or none) are needed.", nameof(weights));
        }

        if (gradient.Length != parameterCount)
        {
            throw new ArgumentException($"'gradient' holds {gradient.Length} elements; the network has {parameterCount} parameters.", nameof(gradient));
        }

        objective.Loss.CheckTargets(targets, rows, objective.OutputCount);
        double weightSum = 0;
        for (int i = 0; i < rows; i++)
        {
            double weight = weights.IsEmpty ? 1.0 : double.CreateTruncating(weights[i]);
            if (!(weight >= 0) || double.IsInfinity(weight))
            {
                throw new ArgumentOutOfRangeException(nameof(weights), weight, $"Weight of row {i} must be finite and non-negative.");
            }

            weightSum += weight;
        }

        if (!(weightSum > 0)) throw new ArgumentException($"The example weights sum to {weightSum}; it must be positive.", nameof(weights));
        return weightSum;
    }
}
