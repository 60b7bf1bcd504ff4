using System.Text.Json;

namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary><c>analyze</c>: argument and model errors with their exact messages, and a small run whose files parse.</summary>
public sealed class AnalyzeCommandTests
{
    [Fact]
    public void Analyze_NoModel_SaysModelIsRequired()
    {
        CliRun run = CliRun.Start("analyze");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --model is required: give the ML.NET model zip to analyze (repeat it for several).", Assert.Single(run.Lines));
    }

    [Fact]
    public void Analyze_NamesDoNotMatchModels_Refused()
    {
        CliRun run = CliRun.Start("analyze", "--model", "a.zip", "--model", "b.zip", "--name", "a");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --name is given 1 times for 2 --model; give one name per model or none.", Assert.Single(run.Lines));
    }

    [Theory]
    [InlineData("--examples", "0,x", "error: --examples '0,x' must be comma-separated row numbers (0-based) or 'none'; 'x' is not.")]
    [InlineData("--radius", "0", "error: --radius 0 must be finite and greater than 0.")]
    [InlineData("--resolution", "2", "error: --resolution 2 must be in [3, 1001].")]
    [InlineData("--statistics-rows", "0", "error: --statistics-rows 0 must be at least 1.")]
    [InlineData("--boundary-rows", "0", "error: --boundary-rows 0 must be at least 1.")]
    [InlineData("--finite-difference-step", "1", "error: --finite-difference-step 1 must be in (0, 1).")]
    public void Analyze_OptionOutOfRange_NamesOptionAndValue(string option, string value, string expected)
    {
        CliRun run = CliRun.Start("analyze", "--model", "m.zip", option, value);

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal(expected, Assert.Single(run.Lines));
    }

    [Fact]
    public void Analyze_OneFeature_SaysMapsNeedTwoFeatures()
    {
        using var folder = new TemporaryFolder();
        string data = folder.Write("one.csv", string.Concat(Enumerable.Range(0, 40).Select(i => $"{i},{(i < 20 ? "low" : "high")}\n")));
        string model = folder.File("one.zip");
        CliRun train = CliRun.Start("train", "--data", data, "--hidden-layers", "none", "--epochs", "1", "--model", model);
        Assert.True(train.ExitCode == 0, train.Output);

        CliRun run = CliRun.Start("analyze", "--model", model, "--data", data, "--output", folder.File("out"), "--examples", "0");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --examples '0': a decision-cell map is drawn on a plane of the input space, which needs at least 2 features; the data has 1 (--examples none draws no maps).", run.ErrorLine);

        CliRun withoutMaps = CliRun.Start("analyze", "--model", model, "--data", data, "--output", folder.File("out"), "--examples", "none");

        Assert.True(withoutMaps.ExitCode == 0, withoutMaps.Output);
        Assert.Empty(Directory.GetFiles(folder.File("out"), "cells-*"));
    }

    [Fact]
    public void Analyze_ModelFileMissing_ExitCode4NamingTheFile()
    {
        using var folder = new TemporaryFolder();
        string model = folder.File("missing.zip");

        CliRun run = CliRun.Start("analyze", "--model", model, "--output", folder.File("out"));

        Assert.Equal((int)ExitCode.InvalidModel, run.ExitCode);
        Assert.Equal($"error: --model '{model}': no such file.", Assert.Single(run.Lines));
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public void Analyze_ModelNotAZip_ExitCode4()
    {
        using var folder = new TemporaryFolder();
        string model = folder.Write("text.zip", "not a zip");

        CliRun run = CliRun.Start("analyze", "--model", model, "--output", folder.File("out"));

        Assert.Equal((int)ExitCode.InvalidModel, run.ExitCode);
        Assert.StartsWith($"error: --model '{model}' is not a readable ML.NET model zip: ", run.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_RegressionModelOnTheDigits_SaysOnlyAMulticlassModelApplies()
    {
        using var folder = new TemporaryFolder();

        CliRun run = CliRun.Start("analyze", "--model", ModelFixtures.Regression, "--output", folder.File("out"));

        Assert.Equal((int)ExitCode.InvalidModel, run.ExitCode);
        Assert.Equal($"error: --model '{ModelFixtures.Regression}' (a regressor): the embedded digits hold 10 classes of images; only a multiclass model applies (give a CSV/TSV with --data for a binary or regression task).", run.ErrorLine);
    }

    [Fact]
    public void Analyze_ExampleBeyondRows_NamesTheRange()
    {
        using var folder = new TemporaryFolder();

        CliRun run = CliRun.Start("analyze", "--model", ModelFixtures.SmallNetwork, "--output", folder.File("out"), "--max-rows", "20", "--examples", "25");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --examples '25': row 25 is not among the 20 rows analyzed (0-19).", run.ErrorLine);
    }

    [Fact]
    public void Analyze_SmallRun_WritesTableJsonAndFigures()
    {
        using var folder = new TemporaryFolder();
        string output = folder.File("analysis");

        CliRun run = CliRun.Start("analyze", "--model", ModelFixtures.SmallNetwork, "--name", "small", "--output", output,
            "--statistics-rows", "40", "--boundary-rows", "10", "--resolution", "21", "--examples", "0");

        Assert.True(run.ExitCode == 0, run.Output);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "comparison.json")));
        Assert.Equal("small", json.RootElement.GetProperty("Models")[0].GetProperty("Name").GetString());
        Assert.True(File.Exists(Path.Combine(output, "cells-example0-random.png")));
        Assert.True(File.Exists(Path.Combine(output, "cells-example0-singular.png")));
        Assert.Contains("small", run.Output, StringComparison.Ordinal);
        Assert.Contains("Jacobians of small: exact, from the network 64-16-10", run.Output, StringComparison.Ordinal);

        CliRun again = CliRun.Start("analyze", "--model", ModelFixtures.SmallNetwork, "--output", output, "--examples", "0");
        Assert.Equal((int)ExitCode.OutputExists, again.ExitCode);
        Assert.Equal($"error: --output '{Path.Combine(output, "comparison.txt")}' exists; pass --force to overwrite it.", again.ErrorLine);
    }

    [Fact]
    public void Analyze_UserPipelineWithLabelMappingInside_LabelsReadThroughTheModelThenScoringNeedsTheLabel()
    {
        // The labels are read through the model's own MapValueToKey (this used to fail reading rows with
        // "Invalid TValue in GetGetter for column #Label"). Scoring for the analysis feeds rows holding only the
        // features, which such a model cannot take: the command says so in one line and exits with 4.
        using var folder = new TemporaryFolder();

        CliRun run = CliRun.Start("analyze", "--model", ModelFixtures.UserPipeline, "--output", folder.File("analysis"),
            "--statistics-rows", "30", "--boundary-rows", "5", "--resolution", "21", "--examples", "0");

        Assert.Equal((int)ExitCode.InvalidModel, run.ExitCode);
        Assert.DoesNotContain("GetGetter", run.Output, StringComparison.Ordinal);
        Assert.Contains("cannot run on rows holding only the feature column 'Features'", run.ErrorLine, StringComparison.Ordinal);
        Assert.Contains("Could not find input column 'Label'", run.ErrorLine, StringComparison.Ordinal);
    }
}
