using System.Globalization;
using Microsoft.ML;
using MLNetJacobian.Network;
using MLNetJacobian.Cli.Commands;
using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Data;

namespace MLNetJacobian.Cli.Data;

/// <summary>
/// Loads a folder of MNIST IDX files (plain or .gz; the MD5 of each published file is checked unless
/// <c>--skip-checksums</c>) through the library's <see cref="MnistDataset"/>: the train files are the training part,
/// the t10k files the test part.
/// </summary>
internal static class IdxFolderLoader
{
    /// <summary>Loads the training and test files of the folder named by <c>--data</c>.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="settings">The data options.</param>
    public static LoadedData Load(MLContext context, DataSettings settings)
    {
        string folder = settings.DataPath!;
        if (settings.TestDataPath is not null || settings.LabelColumn is not null || settings.FeatureColumns is not null)
        {
            throw CliException.InvalidArgument($"--data '{folder}' is a folder of IDX files; --test-data, --label and --features apply to CSV/TSV files.");
        }

        LabeledDataset train = Read(folder, MnistSplit.Train, settings.SkipChecksums);
        LabeledDataset test = Read(folder, MnistSplit.Test, settings.SkipChecksums);
        string checksums = settings.SkipChecksums ? "checksums not checked" : "MD5 verified";
        string description = string.Create(CultureInfo.InvariantCulture,
            $"{(settings.SkipChecksums ? "IDX files (MNIST's file names)" : "MNIST IDX files")} in {folder} ({checksums}; 28x28, pixels scaled to [0, 1]): {train.Count} training and {test.Count} test rows");
        return new LoadedData(folder, description,
            LabeledDataViews.ToDataView(context, train), LabeledDataViews.ToDataView(context, test), LabeledDataViews.ToDataView(context, train, test),
            train.Count, test.Count, MnistDataset.FeatureCount, train.ClassNames,
            settings.LowerBound ?? 0f, settings.UpperBound ?? 1f, new ImageShape(1, MnistDataset.ImageSize, MnistDataset.ImageSize))
        {
            Fingerprint = "idx:" + Path.GetFullPath(folder),
            FeatureMinimum = 0f,
            FeatureMaximum = 1f,
        };
    }

    private static LabeledDataset Read(string folder, MnistSplit split, bool skipChecksums)
    {
        try
        {
            return MnistDataset.Load(folder, split, scaleToUnitInterval: true, verifyChecksums: !skipChecksums);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            bool checksum = exception.Message.Contains("MD5", StringComparison.OrdinalIgnoreCase) || exception.Message.Contains("checksum", StringComparison.OrdinalIgnoreCase);
            string hint = checksum && !skipChecksums ? " For other data in MNIST's file names (e.g. Fashion-MNIST), pass --skip-checksums." : "";
            throw CliException.InvalidData(Guard.OneLine(exception.Message) + hint, exception);
        }
    }
}
