using MLNetJacobian.Compute;
using MLNetJacobian.Network;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>Test accuracy and the exact Jacobian norms of a trained network over a whole split.</summary>
/// <param name="Accuracy">The fraction of rows whose largest logit is the label.</param>
/// <param name="MeanJacobianNorm">The mean over rows of the exact <c>||J(x)||_F</c> (w.r.t. the standardised input).</param>
/// <param name="RootMeanSquareJacobianNorm"><c>sqrt(mean ||J(x)||_F^2)</c>.</param>
public sealed record TestSetEvaluation(double Accuracy, double MeanJacobianNorm, double RootMeanSquareJacobianNorm)
{
    private const int BatchRows = 100;

    /// <summary>Evaluates <paramref name="network"/> on every row of <paramref name="split"/>.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="split">The rows.</param>
    /// <param name="gemm">The GEMM provider.</param>
    internal static TestSetEvaluation Measure(FeedForwardNetwork<float> network, MnistSplit split, IGemmProvider gemm)
    {
        var evaluator = new NetworkEvaluator<float>(network, gemm, BatchRows);
        const int width = MnistSplit.FeatureCount, classes = MnistSplit.ClassCount;
        var logits = new float[BatchRows * classes];   // [rows, C]
        var normsSquared = new double[BatchRows];      // [rows]
        int correct = 0;
        double normSum = 0, normSquaredSum = 0;
        for (int start = 0; start < split.Count; start += BatchRows)
        {
            int rows = Math.Min(BatchRows, split.Count - start);
            ReadOnlySpan<float> x = split.Features.AsSpan(start * width, rows * width);
            evaluator.ComputeLogits(x, rows, logits);
            evaluator.ComputeJacobianFrobeniusNormsSquared(x, rows, normsSquared);
            for (int i = 0; i < rows; i++)
            {
                if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(logits.AsSpan(i * classes, classes)) == split.Labels[start + i]) correct++;
                normSum += Math.Sqrt(normsSquared[i]);
                normSquaredSum += normsSquared[i];
            }
        }

        return new TestSetEvaluation((double)correct / split.Count, normSum / split.Count, Math.Sqrt(normSquaredSum / split.Count));
    }
}
