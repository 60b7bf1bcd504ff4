using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// Measures weighted mean cross-entropy and accuracy on validation data with buffers allocated once: through an
/// <see cref="IValidationScorer{T}"/> when given, otherwise through the objective (its cross-entropy; the gradient
/// it writes is discarded).
/// </summary>
internal sealed class ValidationPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ITrainingData<T> data;
    private readonly IValidationScorer<T>? scorer;
    private readonly IBatchObjective<T> objective;
    private readonly int batchSize;
    private readonly T[] features;   // [batchSize, D]
    private readonly int[] labels;   // [batchSize]
    private readonly T[] weights;    // [batchSize] or empty
    private readonly T[] logits;     // [batchSize, C] or empty when the objective is used

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
        labels = new int[batchSize];
        weights = data.HasWeights ? new T[batchSize] : [];
        logits = scorer is null ? [] : new T[batchSize * data.ClassCount];
    }

    /// <summary>Runs one pass; <paramref name="gradientScratch"/> receives discarded gradients when the objective is used.</summary>
    public (double Loss, double Accuracy) Run(Span<T> gradientScratch, Random random, CancellationToken cancellationToken)
    {
        double weightSum = 0, lossSum = 0;
        long rowsSeen = 0, correct = 0;
        data.StartEpoch(null);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = data.NextBatch(features, labels, weights, batchSize);
            if (rows == 0) break;
            ReadOnlySpan<T> batchWeights = data.HasWeights ? weights.AsSpan(0, rows) : [];
            if (scorer is null)
            {
                BatchLoss loss = objective.Compute(features.AsSpan(0, rows * data.FeatureCount), labels.AsSpan(0, rows),
                    batchWeights, rows, gradientScratch, random);
                weightSum += loss.WeightSum;
                lossSum += loss.CrossEntropy * loss.WeightSum;
                correct += loss.Correct;
            }
            else
            {
                scorer.ComputeLogits(features.AsSpan(0, rows * data.FeatureCount), rows, logits.AsSpan(0, rows * data.ClassCount));
                AddCrossEntropy(rows, batchWeights, ref weightSum, ref lossSum, ref correct);
            }

            rowsSeen += rows;
        }

        if (rowsSeen == 0) throw new InvalidOperationException("The validation data returned no rows.");
        return (lossSum / weightSum, (double)correct / rowsSeen);
    }

    /// <summary>Adds <c>w_i CE_i</c> with <c>CE_i = log sum_c exp(z_ic) - z_iy</c> (shifted by the row maximum), and the correct argmaxes.</summary>
    private void AddCrossEntropy(int rows, ReadOnlySpan<T> batchWeights, ref double weightSum, ref double lossSum, ref long correct)
    {
        int classCount = data.ClassCount;
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<T> z = logits.AsSpan(i * classCount, classCount);   // z: [C]
            int best = 0;
            double max = double.CreateTruncating(z[0]);
            for (int c = 1; c < classCount; c++)
            {
                double value = double.CreateTruncating(z[c]);
                if (value > max)
                {
                    max = value;
                    best = c;
                }
            }

            double sum = 0;
            for (int c = 0; c < classCount; c++) sum += Math.Exp(double.CreateTruncating(z[c]) - max);
            double crossEntropy = Math.Log(sum) + max - double.CreateTruncating(z[labels[i]]);
            double weight = batchWeights.IsEmpty ? 1 : double.CreateTruncating(batchWeights[i]);
            weightSum += weight;
            lossSum += weight * crossEntropy;
            if (best == labels[i]) correct++;
        }
    }
}
