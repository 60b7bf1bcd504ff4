using System.IO.Compression;
using MLNetJacobian.Data;

namespace MLNetJacobian.Tests.Data;

public class MnistDatasetTests
{
    private static string Folder => SharedData.PathOf("mnist");

    [Fact]
    public void Load_SharedGzippedFiles_PublishedCountsAndLabels()
    {
        LabeledDataset train = MnistDataset.Load(Folder, MnistSplit.Train);
        LabeledDataset test = MnistDataset.Load(Folder, MnistSplit.Test, scaleToUnitInterval: false);

        Assert.Equal((60_000, 784, 10), (train.Count, train.FeatureCount, train.ClassCount));
        Assert.Equal(10_000, test.Count);
        Assert.Equal([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], train.Labels.CountBy(l => l).OrderBy(p => p.Key).Select(p => p.Value));
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], test.Labels.CountBy(l => l).OrderBy(p => p.Key).Select(p => p.Value));
        Assert.Equal((5, 7), (train.Labels[0], test.Labels[0]));
        Assert.Equal((0f, 1f), (train.Features.Min(), train.Features.Max()));
        Assert.Equal(255f, test.Features.Max());
    }

    [Fact]
    public void Load_PlainFiles_SameAsGzipped()
    {
        string folder = CopyTestSplit(plain: true);
        try
        {
            LabeledDataset plain = MnistDataset.Load(folder, MnistSplit.Test);
            LabeledDataset gzipped = MnistDataset.Load(Folder, MnistSplit.Test);

            Assert.Equal(gzipped.Labels, plain.Labels);
            Assert.Equal(gzipped.Features, plain.Features);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_OneByteChanged_ThrowsNamingFileAndBothChecksums()
    {
        string folder = CopyTestSplit(plain: true);
        string labels = Path.Combine(folder, "t10k-labels-idx1-ubyte");
        try
        {
            byte[] bytes = File.ReadAllBytes(labels);
            bytes[100] = (byte)((bytes[100] + 1) % 10);
            File.WriteAllBytes(labels, bytes);

            var error = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(folder, MnistSplit.Test));

            Assert.StartsWith($"{labels}: MD5 of the decompressed file is ", error.Message);
            Assert.EndsWith(", expected 27ae3e4e09519cfbb04c329615203637; the file is corrupt or not the published MNIST file.", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_LabelOutOfRange_ThrowsNamingOffset()
    {
        string folder = CopyTestSplit(plain: true);
        string labels = Path.Combine(folder, "t10k-labels-idx1-ubyte");
        try
        {
            byte[] bytes = File.ReadAllBytes(labels);
            bytes[8 + 42] = 12;
            File.WriteAllBytes(labels, bytes);

            var error = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(folder, MnistSplit.Test, verifyChecksums: false));

            Assert.Equal($"{labels}: label 12 at offset 50; MNIST labels are 0..9.", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_WrongMagic_ThrowsNamingOffsetZero()
    {
        string folder = CopyTestSplit(plain: true);
        string images = Path.Combine(folder, "t10k-images-idx3-ubyte");
        try
        {
            byte[] bytes = File.ReadAllBytes(images);
            bytes[3] = 0x01;
            File.WriteAllBytes(images, bytes);

            var error = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(folder, MnistSplit.Test, verifyChecksums: false));

            Assert.Equal($"{images}: magic number 0x00000801 at offset 0, expected 0x00000803.", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_TruncatedImages_ThrowsNamingPromisedAndActualLength()
    {
        string folder = CopyTestSplit(plain: true);
        string images = Path.Combine(folder, "t10k-images-idx3-ubyte");
        try
        {
            byte[] bytes = File.ReadAllBytes(images);
            File.WriteAllBytes(images, bytes[..^1000]);

            var error = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(folder, MnistSplit.Test, verifyChecksums: false));

            Assert.Equal($"{images}: the header promises 7840000 bytes of data from offset 16 (10000 x 28 x 28), but the data runs to offset 7839016.", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingBothCandidates()
    {
        string folder = Directory.CreateTempSubdirectory("mnist-empty-").FullName;
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => MnistDataset.Load(folder, MnistSplit.Train));

            string plain = Path.Combine(folder, "train-images-idx3-ubyte");
            Assert.Equal($"MNIST file 'train-images-idx3-ubyte' not found in '{folder}': looked for '{plain}' and '{plain}.gz'.", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A temporary folder with the test split's two files, decompressed when <paramref name="plain"/>.</summary>
    private static string CopyTestSplit(bool plain)
    {
        string folder = Directory.CreateTempSubdirectory("mnist-").FullName;
        foreach (string name in new[] { "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            string source = Path.Combine(Folder, name + ".gz");
            if (!plain)
            {
                File.Copy(source, Path.Combine(folder, name + ".gz"));
                continue;
            }

            using FileStream input = File.OpenRead(source);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using FileStream output = File.Create(Path.Combine(folder, name));
            gzip.CopyTo(output);
        }

        return folder;
    }
}
