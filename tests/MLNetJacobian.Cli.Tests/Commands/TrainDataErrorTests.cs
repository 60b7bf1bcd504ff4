namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary>Unreadable or malformed data: one line naming the file and the line or column, exit code 3, no output file.</summary>
public sealed class TrainDataErrorTests
{
    private const string Header = "a,b,label\n";

    [Fact]
    public void Train_DataMissing_NamesThePath()
    {
        using var folder = new TemporaryFolder();
        string data = folder.File("missing.csv");

        CliRun run = Train(folder, "--data", data);

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.Equal($"error: --data '{data}': no such file or folder.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_LineWithTooFewFields_NamesFileAndLine()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("d.csv", Header + "1,2,x\n3,y\n");

        CliRun run = Train(folder, "--data", data);

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.Equal($"error: {data}, line 3: expected 3 fields (as on line 1), found 2.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_FeatureNotANumber_NamesLineAndColumn()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("d.csv", Header + "1,2,x\n3,oops,y\n");

        CliRun run = Train(folder, "--data", data);

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.Equal($"error: {data}, line 3, column 'b' (index 1): 'oops' is not a number (a column of categories? name it in --categorical to one-hot encode it).", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_FeatureNaN_SaysNotFinite()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("d.tsv", "1\t2\tx\nNaN\t4\ty\n");

        CliRun run = Train(folder, "--data", data);

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.Equal($"error: {data}, line 2, column 0: 'NaN' is not a finite number (train and compare skip such rows with --skip-non-finite).", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_EmptyLabel_NamesLine()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("d.csv", Header + "1,2,x\n3,4,\n");

        CliRun run = Train(folder, "--data", data);

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.Equal($"error: {data}, line 3, column 'label' (index 2): the label is empty.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_EmptyFile_SaysEmpty()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("d.csv", "\n\n");

        CliRun run = Train(folder, "--data", data);

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.Equal($"error: {data} is empty: no line holds data.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_UnclosedQuote_NamesLine()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("d.csv", Header + "1,2,\"x\n");

        CliRun run = Train(folder, "--data", data);

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.Equal($"error: {data}, line 2: a quoted field is not closed.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_LabelColumnMissing_ListsTheColumns()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("d.csv", Header + "1,2,x\n");

        CliRun run = Train(folder, "--data", data, "--label", "species");

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.Equal("error: --label 'species': d.csv has no column of that name; its columns are 'a', 'b', 'label'.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_FeatureIndexOutsideFile_NamesTheRange()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("d.csv", Header + "1,2,x\n");

        CliRun run = Train(folder, "--data", data, "--features", "0-5");

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.Equal("error: --features '0-5': column index 5 is outside the 3 columns of d.csv (0-2).", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_FeaturesIncludeLabel_Refused()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("d.csv", Header + "1,2,x\n");

        CliRun run = Train(folder, "--data", data, "--features", "a,label");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --features 'a,label' includes the label column 'label' (index 2).", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_ColumnNameWithoutHeader_AsksForIndex()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("d.csv", "1,2,3\n4,5,6\n");

        CliRun run = Train(folder, "--data", data, "--label", "species");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --label 'species' is a name, but d.csv has no header line; give a 0-based column index or pass --header present.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_SingleClass_SaysTwoClassesAreNeeded()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("d.csv", Header + string.Concat(Enumerable.Range(0, 20).Select(i => $"{i},{i % 3},same\n")));

        CliRun run = Train(folder, "--data", data);

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.Equal($"error: {data}: the label holds 1 class ('same'); training a classifier needs at least 2.", run.ErrorLine);
        Assert.False(File.Exists(folder.File("m.zip")));
    }

    [Fact]
    public void Train_DataError_LeavesNoOutputFolder()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("d.csv", Header + "1,2,x\n3,oops,y\n");
        string outputs = folder.File("models");

        CliRun run = CliRun.Start("train", "--data", data, "--model", Path.Combine(outputs, "m.zip"), "--epochs", "1");

        Assert.Equal((int)ExitCode.InvalidData, run.ExitCode);
        Assert.False(Directory.Exists(outputs));
    }

    [Fact]
    public void Train_TestDataIsAFolder_SaysSo()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("d.csv", Header + "1,2,x\n3,4,y\n");

        CliRun run = Train(folder, "--data", data, "--test-data", folder.Path);

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal($"error: --test-data '{folder.Path}' is a folder; give a CSV/TSV file (an IDX folder given to --data brings its own test files).", Assert.Single(run.Lines));
    }

    private static CliRun Train(TemporaryFolder folder, params string[] args) =>
        CliRun.Start(["train", "--model", folder.File("m.zip"), "--epochs", "1", "--hidden-layers", "4", .. args]);
}
