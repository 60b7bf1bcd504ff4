using MLNetJacobian.Cli.Output;

namespace MLNetJacobian.Cli.Tests.Output;

/// <summary>Output safety: no overwrite without force, atomic replacement, no temporary file left behind.</summary>
public sealed class OutputFilesTests
{
    [Fact]
    public void WriteText_FileExistsWithoutForce_RefusedAndKept()
    {
        using var folder = new TemporaryFolder();
        string path = folder.Write("out.json", "old");

        CliException error = Assert.Throws<CliException>(() => OutputFiles.WriteText(path, force: false, "--report", "new"));

        Assert.Equal(ExitCode.OutputExists, error.ExitCode);
        Assert.Equal($"--report '{path}' exists; pass --force to overwrite it.", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
    }

    [Fact]
    public void WriteText_FileExistsWithForce_Replaced()
    {
        using var folder = new TemporaryFolder();
        string path = folder.Write("out.json", "old");

        OutputFiles.WriteText(path, force: true, "--report", "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void WriteAtomically_WriterThrows_NoFileAndNoTemporaryLeft()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("out.bin");

        Assert.Throws<InvalidOperationException>(() => OutputFiles.WriteAtomically(path, force: false, "--model", stream =>
        {
            stream.WriteByte(1);
            throw new InvalidOperationException("fails half-way");
        }));

        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void WriteAtomically_MissingFolder_Created()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "a", "b", "out.txt");

        OutputFiles.WriteText(path, force: false, "--history", "x");

        Assert.Equal("x", File.ReadAllText(path));
    }

    [Fact]
    public void EnsureCanWrite_MissingFolder_NotCreated()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "new", "deeper", "m.zip");

        OutputFiles.EnsureCanWrite(path, force: false, "--model");

        Assert.False(Directory.Exists(Path.Combine(folder.Path, "new")));
    }

    [Fact]
    public void EnsureCanWrite_FileWhereAFolderWouldBe_RefusedNamingIt()
    {
        using var folder = new TemporaryFolder();
        string file = folder.Write("data.csv", "a");
        string path = Path.Combine(file, "sub", "m.zip");

        CliException error = Assert.Throws<CliException>(() => OutputFiles.EnsureCanWrite(path, force: false, "--model"));

        Assert.Equal(ExitCode.InvalidArguments, error.ExitCode);
        Assert.Equal($"--model '{path}': cannot create the folder '{Path.Combine(file, "sub")}': '{file}' is a file.", error.Message);
    }
}
