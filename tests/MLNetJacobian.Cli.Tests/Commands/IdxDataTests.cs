using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary>Folders of IDX files: the shared MNIST copy trains; missing and corrupt files fail with one line naming the file.</summary>
public sealed class IdxDataTests
{
    [Fact]
    public void Train_MnistFolder_TrainsOn784FeaturesAndTheT10kTestSet()
    {
        using var folder = new TemporaryFolder();
        string model = folder.File("mnist.zip");

        CliRun run = CliRun.Start("train", "--data", SharedData.Mnist, "--max-rows", "300", "--epochs", "1", "--hidden-layers", "8", "--model", model);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("MD5 verified", run.Output, StringComparison.Ordinal);
        Assert.Contains("300 training and 300 test rows", run.Output, StringComparison.Ordinal);
        var context = new MLContext(seed: 0);
        ITransformer loaded = context.Model.Load(model, out DataViewSchema schema);
        Assert.Equal(784, Assert.IsType<VectorDataViewType>(schema["Features"].Type).Size);
    }

    [Fact]
    public void Train_IdxFolderWithoutFiles_NamesTheMissingFile()
    {
        using var folder = new TemporaryFolder();
        string data = Directory.CreateDirectory(folder.File("empty")).FullName;
        string expected = Path.Combine(data, "train-images-idx3-ubyte");

        CliRun run = CliRun.Start("train", "--data", data, "--model", folder.File("m.zip"));

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.Equal($"error: MNIST file 'train-images-idx3-ubyte' not found in '{data}': looked for '{expected}' and '{expected}.gz'.", run.ErrorLine);
    }

    [Fact]
    public void Train_CorruptGzip_NamesTheFile()
    {
        using var folder = new TemporaryFolder();
        string data = Directory.CreateDirectory(folder.File("mnist")).FullName;
        foreach (string file in Directory.GetFiles(SharedData.Mnist, "*.gz")) File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        string corrupt = Path.Combine(data, "t10k-labels-idx1-ubyte.gz");
        File.WriteAllText(corrupt, "garbage");

        CliRun run = CliRun.Start("train", "--data", data, "--model", folder.File("m.zip"));

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.StartsWith($"error: {corrupt}: not a valid gzip file", run.ErrorLine, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("m.zip")));
    }

    [Fact]
    public void Train_IdxFolderWithCsvOptions_Refused()
    {
        using var folder = new TemporaryFolder();

        CliRun run = CliRun.Start("train", "--data", folder.Path, "--label", "3", "--model", folder.File("m.zip"));

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal($"error: --data '{folder.Path}' is a folder of IDX files; --test-data, --label and --features apply to CSV/TSV files.", run.ErrorLine);
    }

    [Fact]
    public void Train_IdxFilesOtherThanMnist_ChecksumErrorNamesSkipChecksumsAndOutputsDoNotSayMnist()
    {
        using var folder = new TemporaryFolder();
        string data = Directory.CreateDirectory(folder.File("other")).FullName;
        foreach (string file in Directory.GetFiles(SharedData.Mnist, "*.gz")) File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        string labels = Path.Combine(data, "t10k-labels-idx1-ubyte.gz");
        byte[] content;
        using (var input = new System.IO.Compression.GZipStream(File.OpenRead(labels), System.IO.Compression.CompressionMode.Decompress))
        using (var buffer = new MemoryStream())
        {
            input.CopyTo(buffer);
            content = buffer.ToArray();
        }

        content[8] = (byte)((content[8] + 1) % 10);
        using (var output = new System.IO.Compression.GZipStream(File.Create(labels), System.IO.Compression.CompressionLevel.Optimal))
        {
            output.Write(content);
        }

        CliRun refused = CliRun.Start("train", "--data", data, "--max-rows", "100", "--epochs", "1", "--hidden-layers", "4", "--model", folder.File("a.zip"));
        CliRun skipped = CliRun.Start("train", "--data", data, "--max-rows", "100", "--epochs", "1", "--hidden-layers", "4", "--model", folder.File("b.zip"), "--skip-checksums");

        Assert.Equal((int)ExitCode.InvalidData, refused.ExitCode);
        Assert.Contains("--skip-checksums", refused.ErrorLine, StringComparison.Ordinal);
        Assert.True(skipped.ExitCode == 0, skipped.Output);
        Assert.Contains("IDX files (MNIST's file names)", skipped.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("MNIST IDX files", skipped.Output, StringComparison.Ordinal);
    }
}
