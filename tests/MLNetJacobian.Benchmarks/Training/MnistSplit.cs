namespace MLNetJacobian.Benchmarks.Training;

/// <summary>One split of MNIST in memory: standardised pixels <c>[N, 784]</c> row-major and labels <c>[N]</c>.</summary>
/// <param name="Features">Pixels scaled to [0, 1], then standardised: <c>(p / 255 - mean) / std</c>. <c>[N, 784]</c>.</param>
/// <param name="Labels">The digit of each row, 0 to 9. <c>[N]</c>.</param>
public sealed record MnistSplit(float[] Features, int[] Labels)
{
    /// <summary>D, pixels per image.</summary>
    public const int FeatureCount = 784;

    /// <summary>C, the number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>The mean pixel value (after scaling to [0, 1]) the reference standardises with.</summary>
    public const float StandardMean = 0.1307f;

    /// <summary>The pixel standard deviation (after scaling to [0, 1]) the reference standardises with.</summary>
    public const float StandardDeviation = 0.3081f;

    /// <summary>N, the number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The split as the throughput benchmarks' rows (labels as float class indices).</summary>
    public BenchmarkRows ToRows() => new("MNIST", Features, Array.ConvertAll(Labels, label => (float)label), FeatureCount, ClassCount);
}
