using MLNetJacobian.Training;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The rows a throughput benchmark trains on, whatever the task: features <c>[N, D]</c> row-major and one target per
/// row (a class index for <see cref="OutputCount"/> &gt; 1, a regression value for one output).
/// </summary>
/// <param name="Name">What the rows are, for the reports (e.g. <c>MNIST</c>).</param>
/// <param name="Features">The features, <c>[N, D]</c>.</param>
/// <param name="Targets">The targets, <c>[N]</c>.</param>
/// <param name="FeatureCount">D.</param>
/// <param name="OutputCount">The network's outputs: the classes, or 1 for regression.</param>
public sealed record BenchmarkRows(string Name, float[] Features, float[] Targets, int FeatureCount, int OutputCount)
{
    /// <summary>N, the number of rows.</summary>
    public int Count => Targets.Length;

    /// <summary>The loss the rows are trained with: softmax cross-entropy over classes, squared error on one output.</summary>
    internal OutputLoss Loss => OutputCount == 1 ? OutputLoss.SquaredError : OutputLoss.SoftmaxCrossEntropy;
}
