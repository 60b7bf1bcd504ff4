using MLNetJacobian.Data;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// MNIST for the benchmarks: the library's <see cref="MnistDataset"/> (IDX, plain or .gz, checksum-verified), with the
/// folder located and the pixels standardised as the reference experiment does.
/// </summary>
public static class MnistFiles
{
    /// <summary>
    /// The shared copy's folder: <c>$MLNETJACOBIAN_SHARED_DATA/mnist</c>, else <c>../shared/data/mnist</c> beside the
    /// repository holding this benchmark.
    /// </summary>
    public static string DefaultFolder { get; } = LocateFolder();

    /// <summary>Reads the 60,000 training images, standardised.</summary>
    /// <param name="folder">The folder holding the IDX files.</param>
    public static MnistSplit ReadTraining(string folder) => Standardised(folder, Data.MnistSplit.Train);

    /// <summary>Reads the 10,000 test images, standardised.</summary>
    /// <param name="folder">The folder holding the IDX files.</param>
    public static MnistSplit ReadTest(string folder) => Standardised(folder, Data.MnistSplit.Test);

    private static MnistSplit Standardised(string folder, Data.MnistSplit split)
    {
        LabeledDataset rows = MnistDataset.Load(folder, split, scaleToUnitInterval: true);
        float[] features = rows.Features;   // [N, 784], pixels in [0, 1], standardised in place
        for (int index = 0; index < features.Length; index++)
        {
            features[index] = (features[index] - MnistSplit.StandardMean) / MnistSplit.StandardDeviation;
        }

        return new MnistSplit(features, rows.Labels);
    }

    /// <summary>
    /// A folder of the shared data: <c>$MLNETJACOBIAN_SHARED_DATA/NAME</c>, else <c>../shared/data/NAME</c> beside the
    /// repository holding this benchmark.
    /// </summary>
    /// <param name="name">The folder's name under the shared data, e.g. <c>mnist</c> or <c>tabular</c>.</param>
    public static string LocateFolder(string name = "mnist")
    {
        string? shared = Environment.GetEnvironmentVariable("MLNETJACOBIAN_SHARED_DATA");
        if (!string.IsNullOrEmpty(shared)) return Path.Combine(shared, name);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLNetJacobian.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", name));
            }
        }

        return Path.Combine("..", "shared", "data", name);
    }
}
