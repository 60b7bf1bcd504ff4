using MLNetJacobian.Training;

namespace MLNetJacobian.Tests.Training;

/// <summary>Synthetic, seeded data sets for the loop tests, and a synchronous progress sink.</summary>
internal static class TrainingTestData
{
    public const int FeatureCount = 4;
    public const int ClassCount = 3;

    /// <summary>
    /// <paramref name="rows"/> rows of three Gaussian blobs (standard deviation 0.5) around well-separated centres;
    /// <paramref name="flipLabels"/> shifts every label by one class (a validation set the model cannot fit).
    /// </summary>
    public static InMemoryTrainingData<double> Blobs(int rows, int seed, bool flipLabels = false, double[]? weights = null)
    {
        var random = new Random(seed);
        var features = new double[rows * FeatureCount];
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            int label = i % ClassCount;
            for (int j = 0; j < FeatureCount; j++)
            {
                double centre = j == label ? 2.0 : 0.0;
                features[i * FeatureCount + j] = centre + 0.5 * Gaussian(random);
            }

            labels[i] = flipLabels ? (label + 1) % ClassCount : label;
        }

        return new InMemoryTrainingData<double>(features, labels, FeatureCount, ClassCount, weights);
    }

    public static double[] NewParameters() => new double[(FeatureCount + 1) * ClassCount];

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>Collects reported values on the reporting thread (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class ListProgress<T>(Action<T>? onReport = null) : IProgress<T>
{
    public List<T> Reports { get; } = [];

    public void Report(T value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}
