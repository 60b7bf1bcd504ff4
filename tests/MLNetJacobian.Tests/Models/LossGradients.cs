using MLNetJacobian.Models;
using MLNetJacobian.Robustness;

namespace MLNetJacobian.Tests.Models;

/// <summary>The input gradient of a loss on a model's outputs, as the attacks compute it, for tests that call it directly.</summary>
internal static class LossGradients
{
    /// <summary>Outputs, per-row losses and <c>dL/dx</c> of <paramref name="rows"/> rows.</summary>
    public static void ComputeLossGradient(this IDifferentiableModel model, ReadOnlySpan<float> features, int[] labels, int rows, ILogitLoss loss,
        Span<float> outputs, float[] lossValues, Span<float> inputGradient) =>
        model.ComputeInputGradient(features, rows, new Seed(loss, labels, lossValues, model.OutputCount), outputs, inputGradient);

    private sealed class Seed(ILogitLoss loss, int[] labels, float[] lossValues, int outputCount) : IOutputGradient
    {
        public void Compute(int firstRow, int rows, ReadOnlySpan<float> outputs, Span<float> outputGradient) =>
            loss.Evaluate(outputs, labels.AsSpan(firstRow, rows), rows, outputCount, lossValues.AsSpan(firstRow, rows), outputGradient);
    }
}
