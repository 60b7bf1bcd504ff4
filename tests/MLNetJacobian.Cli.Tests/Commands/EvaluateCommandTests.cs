using System.Text.Json;

namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary><c>evaluate</c>: argument and model errors with their exact messages, and small runs on saved zips.</summary>
public sealed class EvaluateCommandTests
{
    [Fact]
    public void Evaluate_NoModel_SaysModelIsRequired()
    {
        CliRun run = CliRun.Start("evaluate");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --model is required: give the ML.NET model zip to evaluate.", Assert.Single(run.Lines));
    }

    [Theory]
    [InlineData("--epsilons", "0.1,-1", "error: --epsilons '0.1,-1' must be comma-separated numbers of at least 0; '-1' is not.")]
    [InlineData("--attack-rows", "0", "error: --attack-rows 0 must be at least 1.")]
    [InlineData("--bisection-steps", "-1", "error: --bisection-steps -1 must be at least 0.")]
    [InlineData("--attack-threads", "0", "error: --attack-threads 0 must be at least 1.")]
    [InlineData("--attacks", "Everything", "error: --attacks 'Everything' must be Quick, QuickWithSquare, Standard or a comma-separated list of uniform, noise, fgsm, pgd, apgd-ce, apgd-dlr, square; 'Everything' is not.")]
    public void Evaluate_OptionOutOfRange_NamesOptionAndValue(string option, string value, string expected)
    {
        CliRun run = CliRun.Start("evaluate", "--model", "m.zip", option, value);

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal(expected, Assert.Single(run.Lines));
    }

    [Fact]
    public void Evaluate_ModelMissing_ExitCode4()
    {
        using var folder = new TemporaryFolder();
        string model = folder.File("none.zip");

        CliRun run = CliRun.Start("evaluate", "--model", model);

        Assert.Equal((int)ExitCode.InvalidModel, run.ExitCode);
        Assert.Equal($"error: --model '{model}': no such file.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Evaluate_RegressionModelOnTheDigits_SaysOnlyAMulticlassModelApplies()
    {
        using var folder = new TemporaryFolder();

        CliRun run = CliRun.Start("evaluate", "--model", ModelFixtures.Regression, "--report", folder.File("r.json"), "--plot", folder.File("r.png"));

        Assert.Equal((int)ExitCode.InvalidModel, run.ExitCode);
        Assert.Equal($"error: --model '{ModelFixtures.Regression}' (a regressor): the embedded digits hold 10 classes of images; only a multiclass model applies (give a CSV/TSV with --data for a binary or regression task).", run.ErrorLine);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Evaluate_DataWithOtherFeatureCount_NamesModelAndCountsWithoutLibraryParameterName()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("two.csv", "a,b,label\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"{i},{i % 3},{i % 2}\n")));

        CliRun run = CliRun.Start("evaluate", "--model", ModelFixtures.SmallNetwork, "--data", data, "--report", folder.File("r.json"), "--plot", folder.File("r.png"));

        Assert.Equal((int)ExitCode.InvalidModel, run.ExitCode);
        Assert.StartsWith($"error: --model '{ModelFixtures.SmallNetwork}': the model cannot run on the data's columns", run.ErrorLine, StringComparison.Ordinal);
        Assert.Contains("has 2 features", run.ErrorLine, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", run.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ReportExists_RefusedBeforeAttacking()
    {
        using var folder = new TemporaryFolder();
        string report = folder.Write("r.json", "{}");

        CliRun run = CliRun.Start("evaluate", "--model", ModelFixtures.SmallNetwork, "--report", report, "--plot", folder.File("r.png"));

        Assert.Equal((int)ExitCode.OutputExists, run.ExitCode);
        Assert.Equal($"error: --report '{report}' exists; pass --force to overwrite it.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Evaluate_SavedNetwork_RestoredAndAttackedWhiteBoxAndFilesParse()
    {
        using var folder = new TemporaryFolder();
        string report = folder.File("r.json");

        CliRun run = CliRun.Start("evaluate", "--model", ModelFixtures.SmallNetwork, "--report", report, "--plot", folder.File("r.png"),
            "--attacks", "Quick", "--attack-rows", "40", "--bisection-steps", "0", "--no-sanity-checks");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Clean accuracy", run.Output, StringComparison.Ordinal);
        Assert.Contains("white-box", run.Output, StringComparison.Ordinal);
        Assert.Contains("FGSM", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("black box", run.Output, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(40, json.RootElement.GetProperty("example_count").GetInt32());
        Assert.True(new FileInfo(folder.File("r.png")).Length > 1000);
    }

    [Fact]
    public void Evaluate_UserPipelineWithLabelMappingInside_AttackedWhiteBoxThroughTheWeights()
    {
        using var folder = new TemporaryFolder();

        CliRun run = CliRun.Start("evaluate", "--model", ModelFixtures.UserPipeline, "--report", folder.File("r.json"), "--plot", folder.File("r.png"),
            "--attacks", "Quick", "--attack-rows", "40", "--bisection-steps", "0", "--no-sanity-checks");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("white-box", run.Output, StringComparison.Ordinal);
        Assert.Contains("FGSM", run.Output, StringComparison.Ordinal);
    }
}
