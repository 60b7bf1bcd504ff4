using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// Measures the weighted mean data loss (the objective's <see cref="OutputLoss"/>, without the penalty) and the accuracy
/// on validation data with buffers allocated once: through an <see cref="IValidationScorer{T}"/> when given, otherwise
/// through the objective (its data loss; the gradient it writes is discarded).
/// </summary>
internal sealed class ValidationPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ITrainingData<T> _data;
    private readonly IValidationScorer<T>? _scorer;
    private readonly IBatchObjective<T> _objective;
    private readonly int _batchSize;
    private readonly T[] _features;   // [batchSize, D]
    private readonly T[] _targets;    // [batchSize]
    private readonly T[] _weights;    // [batchSize] or empty
    private readonly T[] _outputs;    // [batchSize, C] or empty when the objective is used

    public ValidationPass(ITrainingData<T> data, IValidationScorer<T>? scorer, IBatchObjective<T> objective)
    {
        _data = data;
        _scorer = scorer;
        _objective = objective;
        _batchSize = scorer?.MaxBatchSize ?? objective.MaxBatchSize;
        if (_batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(scorer), _batchSize, "The validation scorer's maximum batch size must be at least 1.");
        }

        _features = new T[_batchSize * data.FeatureCount];
        _targets = new T[_batchSize];
        _weights = data.HasWeights ? new T[_batchSize] : [];
        _outputs = scorer is null ? [] : new T[_batchSize * objective.OutputCount];
    }

    /// <summary>
    /// Runs one pass; <paramref name="gradientScratch"/> receives discarded gradients when the objective is used.
    /// The accuracy is NaN when the loss has none (regression).
    /// </summary>
    public (double Loss, double Accuracy) Run(Span<T> gradientScratch, Random random, CancellationToken cancellationToken)
    {
        OutputLoss loss = _objective.Loss;
        int outputCount = _objective.OutputCount;
        double weightSum = 0, lossSum = 0;
        long rowsSeen = 0, correct = 0;
        _data.StartEpoch(null);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = _data.NextBatch(_features, _targets, _weights, _batchSize);
            if (rows == 0) break;
            ReadOnlySpan<T> batchWeights = _data.HasWeights ? _weights.AsSpan(0, rows) : [];
            if (_scorer is null)
            {
                BatchLoss batch = _objective.Compute(_features.AsSpan(0, rows * _data.FeatureCount), _targets.AsSpan(0, rows),
                    batchWeights, rows, gradientScratch, random);
                weightSum += batch.WeightSum;
                lossSum += batch.DataLoss * batch.WeightSum;
                correct += batch.Correct;
            }
            else
            {
                _scorer.ComputeLogits(_features.AsSpan(0, rows * _data.FeatureCount), rows, _outputs.AsSpan(0, rows * outputCount));
                loss.CheckTargets<T>(_targets, rows, outputCount);
                lossSum += loss.Compute<T>(_outputs, outputCount, _targets, batchWeights, rows, [], out int batchCorrect);
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
