using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// Measures the weighted mean data loss (the objective's <see cref="OutputLoss"/>, without the penalty) and the accuracy
/// on validation data with buffers allocated once: through an <see cref="IValidationScorer{T}"/> when given, otherwise
/// through the objective (its data loss; the gradient it writes is discarded).
/// </summary>
internal sealed class ValidationPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ITrainingData<T> data;
    private readonly IValidationScorer<T>? scorer;
    private readonly IBatchObjective<T> objective;
    private readonly int batchSize;
    private readonly T[] features;   // [batchSize, D]
    private readonly T[] targets;    // [batchSize]
    private readonly T[] weights;    // [batchSize] or empty
    private readonly T[] outputs;    // [batchSize, C] or empty when the objective is used

    public ValidationPass(ITrainingData<T> data, IValidationScorer<T>? scorer, IBatchObjective<T> objective)
    {
        this.data = data;
        this.scorer = scorer;
        this.objective = objective;
        batchSize = scorer?.MaxBatchSize ?? objective.MaxBatchSize;
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(scorer), batchSize, "The validation scorer's maximum batch size must be at least 1.");
        }

        features = new T[batchSize * data.FeatureCount];
        targets = new T[batchSize];
        weights = data.HasWeights ? new T[batchSize] : [];
        outputs = scorer is null ? [] : new T[batchSize * objective.OutputCount];
    }

    /// <summary>
    /// Runs one pass; <paramref name="gradientScratch"/> receives discarded gradients when the objective is used.
    /// The accuracy is NaN when the loss has none (regression).
    /// </summary>
    public (double Loss, double Accuracy) Run(Span<T> gradientScratch, Random random, CancellationToken cancellationToken)
    {
        OutputLoss loss = objective.Loss;
        int outputCount = objective.OutputCount;
        double weightSum = 0, lossSum = 0;
        long rowsSeen = 0, correct = 0;
        data.StartEpoch(null);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = data.NextBatch(features, targets, weights, batchSize);
            if (rows == 0) break;
            ReadOnlySpan<T> batchWeights = data.HasWeights ? weights.AsSpan(0, rows) : [];
            if (scorer is null)
            {
                BatchLoss batch = objective.Compute(features.AsSpan(0, rows * data.FeatureCount), targets.AsSpan(0, rows),
                    batchWeights, rows, gradientScratch, random);
                weightSum += batch.WeightSum;
                lossSum += batch.DataLoss * batch.WeightSum;
                correct += batch.Correct;
            }
            else
            {
                scorer.ComputeLogits(features.AsSpan(0, rows * data.FeatureCount), rows, outputs.AsSpan(0, rows * outputCount));
                loss.CheckTargets<T>(targets, rows, outputCount);
                lossSum += loss.Compute<T>(outputs, outputCount, targets, batchWeights, rows, [], out int batchCorrect);
                correct += batchCorrect;
                if (batchWeights.IsEmpty)
                {
                    weightSum += rows;
                }
                else
                {
                    foreach (T weight in batchWeights) weightSum += double.CreateTruncating(weight);
                }
            }

            rowsSeen += rows;
        }

        if (rowsSeen == 0) throw new InvalidOperationException("The validation data returned no rows.");
        return (lossSum / weightSum, loss.HasAccuracy ? (double)correct / rowsSeen : double.NaN);
    }
}
