using System.IO.Compression;
using System.Text;
using MLNetJacobian.Cli.Data;

namespace MLNetJacobian.Cli.Tests.Data;

/// <summary>Gzip-compressed CSV input, numeric labels as numbers, and warnings about classes with very few rows.</summary>
public sealed class DelimitedInputTests
{
    [Fact]
    public void Scan_GzipFile_ReadLikeThePlainFile()
    {
        using var folder = new TemporaryFolder();
        string text = "a,b,label\n1,2,\"x\"\n3,4.5,y\n";
        string plain = folder.Write("d.csv", text);
        string gzip = folder.File("d.csv.gz");
        using (var file = File.Create(gzip))
        using (var compressed = new GZipStream(file, CompressionLevel.Optimal))
        {
            compressed.Write(Encoding.UTF8.GetBytes(text));
        }

        DelimitedFileLayout expected = DelimitedFileScanner.Scan(plain, ',', HeaderMode.Auto, null, null);
        DelimitedFileLayout actual = DelimitedFileScanner.Scan(gzip, ',', HeaderMode.Auto, null, null);

        Assert.Equal(expected.LabelValues, actual.LabelValues);
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.MaximumFeature, actual.MaximumFeature);
    }

    [Fact]
    public void Train_GzipCsv_TrainsOnItsRows()
    {
        using var folder = new TemporaryFolder();
        var builder = new StringBuilder("a,b,label\n");
        var random = new Random(3);
        for (int i = 0; i < 80; i++)
        {
            int label = i % 2;
            builder.Append($"{label + random.NextDouble() * 0.3:F3},{random.NextDouble():F3},{label}\n");
        }

        string gzip = folder.File("d.csv.gz");
        using (var file = File.Create(gzip))
        using (var compressed = new GZipStream(file, CompressionLevel.Optimal))
        {
            compressed.Write(Encoding.UTF8.GetBytes(builder.ToString()));
        }

        CliRun run = CliRun.Start("train", "--data", gzip, "--epochs", "2", "--hidden-layers", "4", "--model", folder.File("m.zip"));

        Assert.True(run.ExitCode == 0, run.Output);
        var counts = System.Text.RegularExpressions.Regex.Match(run.Output, @"(\d+) training and (\d+) test rows");
        Assert.Equal(80, int.Parse(counts.Groups[1].Value) + int.Parse(counts.Groups[2].Value));
        Assert.Contains("with 2 classes", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_NumericLabelsWrittenTwoWays_OneClass()
    {
        using var folder = new TemporaryFolder();
        string path = folder.Write("d.csv", "1,2,7\n3,4,7.0\n5,6,3\n7,8,07\n");

        DelimitedFileLayout layout = DelimitedFileScanner.Scan(path, ',', HeaderMode.Absent, null, null);

        Assert.True(layout.LabelIsNumeric);
        Assert.Equal(["3", "7"], layout.LabelValues);
        Assert.Equal(3, layout.LabelCounts["7"]);
    }

    [Fact]
    public void RareClassWarnings_TypoClass_Named()
    {
        var counts = new Dictionary<string, int> { ["cat"] = 50, ["dog"] = 48, ["dgo"] = 1 };

        IReadOnlyList<string> warnings = DelimitedFileScanner.RareClassWarnings("d.csv", counts);

        Assert.Equal("d.csv: class 'dgo' has only 1 row (the median class has 48); a typo in the label column? Each distinct label is a class.", Assert.Single(warnings));
        Assert.Empty(DelimitedFileScanner.RareClassWarnings("d.csv", new Dictionary<string, int> { ["a"] = 30, ["b"] = 20 }));
    }

    [Fact]
    public void Train_TypoLabel_WarningPrinted()
    {
        using var folder = new TemporaryFolder();
        var builder = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 60; i++) builder.Append($"{i % 2},{i % 3},{(i % 2 == 0 ? "cat" : "dog")}\n");
        builder.Append("1,1,dgo\n");
        string path = folder.Write("d.csv", builder.ToString());

        CliRun run = CliRun.Start("train", "--data", path, "--epochs", "1", "--hidden-layers", "4", "--model", folder.File("m.zip"));

        Assert.Contains(run.Lines, line => line.StartsWith("warning: ", StringComparison.Ordinal) && line.Contains("class 'dgo' has only 1 row", StringComparison.Ordinal));
    }
}
