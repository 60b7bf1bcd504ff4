using MLNetJacobian.Network;
using MLNetJacobian.Training;

namespace MLNetJacobian.Trainers;

/// <summary>Validation logits from a <see cref="NetworkEvaluator{T}"/> over the network being trained (forward pass only).</summary>
internal sealed class EvaluatorValidationScorer(NetworkEvaluator<float> evaluator) : IValidationScorer<float>
{
    public int MaxBatchSize => evaluator.MaxBatchSize;

    public void ComputeLogits(ReadOnlySpan<float> features, int rows, Span<float> logits) => evaluator.ComputeLogits(features, rows, logits);
}
