namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary>Each <c>train</c> option out of range gives one line naming the option and its value, exit code 2, and no file.</summary>
public sealed class TrainArgumentTests
{
    [Theory]
    [InlineData("--lambda", "-1", "error: --lambda -1 must be finite and at least 0.")]
    [InlineData("--epochs", "0", "error: --epochs 0 must be at least 1.")]
    [InlineData("--batch-size", "0", "error: --batch-size 0 must be in [1, 65536].")]
    [InlineData("--learning-rate", "0", "error: --learning-rate 0 must be finite and greater than 0.")]
    [InlineData("--momentum", "1", "error: --momentum 1 must be in [0, 1).")]
    [InlineData("--projections", "0", "error: --projections 0 must be at least 1.")]
    [InlineData("--jacobian-sample-fraction", "1.5", "error: --jacobian-sample-fraction 1.5 must be in (0, 1].")]
    [InlineData("--weight-decay", "-0.1", "error: --weight-decay -0.1 must be finite and at least 0.")]
    [InlineData("--test-fraction", "1", "error: --test-fraction 1 must be in (0, 1).")]
    [InlineData("--validation-fraction", "0", "error: --validation-fraction 0 must be in (0, 1).")]
    [InlineData("--hidden-layers", "200,x", "error: --hidden-layers '200,x' must be comma-separated widths of at least 1 (for example 200,200), or 'none'; 'x' is not.")]
    [InlineData("--step-decay-fractions", "0.5,2", "error: --step-decay-fractions '0.5,2' must hold fractions in (0, 1); 2 is not.")]
    [InlineData("--step-decay-factor", "0", "error: --step-decay-factor 0 must be in (0, 1].")]
    [InlineData("--max-rows", "0", "error: --max-rows 0 must be at least 1.")]
    [InlineData("--threads", "0", "error: --threads 0 must be at least 1.")]
    [InlineData("--separator", "ab", "error: --separator 'ab' must be one character or 'tab'.")]
    [InlineData("--model", "model.bin", "error: --model 'model.bin' must end in .zip (an ML.NET model is a zip file).")]
    public void Train_OptionOutOfRange_NamesOptionAndValue(string option, string value, string expected)
    {
        using var folder = new TemporaryFolder();
        string[] args = option == "--model"
            ? ["train", option, folder.File(value)]
            : ["train", option, value, "--model", folder.File("m.zip")];

        CliRun run = CliRun.Start(args);

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        string expectedLine = option == "--model" ? expected.Replace("'model.bin'", $"'{folder.File(value)}'", StringComparison.Ordinal) : expected;
        Assert.Equal(expectedLine, Assert.Single(run.Lines));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Train_EarlyStoppingWithoutValidation_AsksForValidationFraction()
    {
        CliRun run = CliRun.Start("train", "--early-stopping-patience", "2");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --early-stopping-patience 2 needs validation data; add --validation-fraction.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_BoundsReversed_NamesBothBounds()
    {
        CliRun run = CliRun.Start("train", "--lower-bound", "1", "--upper-bound", "0");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --lower-bound 1 must be below --upper-bound 0.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_CsvOptionsWithoutData_SaysTheyNeedACsvFile()
    {
        CliRun run = CliRun.Start("train", "--label", "y");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --test-data, --label, --features and --separator apply to a CSV/TSV file given with --data.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_ImageWidthWithoutHeight_AsksForBoth()
    {
        CliRun run = CliRun.Start("train", "--image-width", "8");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --image-width and --image-height go together; give both or neither.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_ModelExistsWithoutForce_RefusesBeforeTrainingAndKeepsTheFile()
    {
        using var folder = new TemporaryFolder();
        string model = folder.Write("model.zip", "precious");

        CliRun run = CliRun.Start("train", "--model", model);

        Assert.Equal((int)ExitCode.OutputExists, run.ExitCode);
        Assert.Equal($"error: --model '{model}' exists; pass --force to overwrite it.", Assert.Single(run.Lines));
        Assert.Equal("precious", File.ReadAllText(model));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Train_HistoryExistsWithoutForce_RefusesBeforeTraining()
    {
        using var folder = new TemporaryFolder();
        string history = folder.Write("model.history.json", "{}");

        CliRun run = CliRun.Start("train", "--model", folder.File("model.zip"));

        Assert.Equal((int)ExitCode.OutputExists, run.ExitCode);
        Assert.Equal($"error: --history '{history}' exists; pass --force to overwrite it.", Assert.Single(run.Lines));
        Assert.False(File.Exists(folder.File("model.zip")));
    }

    [Fact]
    public void Train_TwoOutputsOnOneFile_Refused()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("same.json");

        CliRun run = CliRun.Start("train", "--model", folder.File("m.zip"), "--history", path, "--curves", path);

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal($"error: --history and --curves both name '{path}'; give different files.", Assert.Single(run.Lines));
    }
}
