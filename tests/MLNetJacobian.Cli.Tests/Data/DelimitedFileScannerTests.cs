using MLNetJacobian.Cli.Data;

namespace MLNetJacobian.Cli.Tests.Data;

/// <summary>The CSV/TSV scan: header detection, separators, quoting, column selection and value range.</summary>
public sealed class DelimitedFileScannerTests
{
    [Fact]
    public void Scan_HeaderLine_DetectedAndNamesUsed()
    {
        using var folder = new TemporaryFolder();
        string path = folder.Write("d.csv", "a,b,kind\n1,2,x\n3,4.5,y\n");

        DelimitedFileLayout layout = DelimitedFileScanner.Scan(path, ',', HeaderMode.Auto, null, null);

        Assert.True(layout.HasHeader);
        Assert.Equal(["a", "b", "kind"], layout.ColumnNames!);
        Assert.Equal(2, layout.LabelIndex);
        Assert.Equal([0, 1], layout.FeatureIndices);
        Assert.False(layout.LabelIsNumeric);
        Assert.Equal(["x", "y"], layout.LabelValues);
        Assert.Equal(2, layout.RowCount);
        Assert.Equal(1f, layout.MinimumFeature);
        Assert.Equal(4.5f, layout.MaximumFeature);
    }

    [Fact]
    public void Scan_NoHeader_NumericLabelsOrderedByValue()
    {
        using var folder = new TemporaryFolder();
        string path = folder.Write("d.tsv", "10\t0.5\t1\n2\t0.25\t1\n\n1\t0\t0\n");

        DelimitedFileLayout layout = DelimitedFileScanner.Scan(path, '\t', HeaderMode.Auto, "0", "1-2");

        Assert.False(layout.HasHeader);
        Assert.Null(layout.ColumnNames);
        Assert.True(layout.LabelIsNumeric);
        Assert.Equal(["1", "2", "10"], layout.LabelValues);
        Assert.Equal(3, layout.RowCount);
    }

    [Fact]
    public void Scan_QuotedFieldsWithSeparatorInside_SplitCorrectly()
    {
        using var folder = new TemporaryFolder();
        string path = folder.Write("d.csv", "\"x,1\",\"b\",label\n1,2,\"a, \"\"quoted\"\" class\"\n");

        DelimitedFileLayout layout = DelimitedFileScanner.Scan(path, ',', HeaderMode.Present, null, "1");

        Assert.Equal(["x,1", "b", "label"], layout.ColumnNames!);
        Assert.Equal(["a, \"quoted\" class"], layout.LabelValues);
        Assert.Equal([1], layout.FeatureIndices);
    }

    [Fact]
    public void Scan_FeatureListOfNamesIndicesAndRanges_SortedAndDistinct()
    {
        using var folder = new TemporaryFolder();
        string path = folder.Write("d.csv", "p0,p1,p2,p3,p4,y\n0,1,2,3,4,a\n");

        DelimitedFileLayout layout = DelimitedFileScanner.Scan(path, ',', HeaderMode.Auto, "y", "p4,0-2,1");

        Assert.Equal([0, 1, 2, 4], layout.FeatureIndices);
    }

    [Fact]
    public void Scan_RangeBackwards_NamesTheRange()
    {
        using var folder = new TemporaryFolder();
        string path = folder.Write("d.csv", "1,2,3,x\n");

        CliException error = Assert.Throws<CliException>(() => DelimitedFileScanner.Scan(path, ',', HeaderMode.Absent, null, "2-0"));

        Assert.Equal(ExitCode.InvalidArguments, error.ExitCode);
        Assert.Equal("--features range '2-0' ends before it starts.", error.Message);
    }
}
