using System.Text.Json;

namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary><c>compare</c>: argument errors with their exact messages, and a small side-by-side run.</summary>
public sealed class CompareCommandTests
{
    [Theory]
    [InlineData(new[] { "--lambdas", "0,0" }, "error: --lambdas '0,0' repeats a value.")]
    [InlineData(new[] { "--lambdas", "0,-0.1" }, "error: --lambdas '0,-0.1' must hold values of at least 0; -0.1 is not.")]
    [InlineData(new[] { "--lambdas", "0,x" }, "error: --lambdas '0,x' must be comma-separated numbers; 'x' is not.")]
    [InlineData(new[] { "--lambdas", "0.1", "--no-baseline" }, "error: compare needs at least two models: give --lambdas, --baseline or --model.")]
    [InlineData(new[] { "--no-baseline", "--baseline", "LightGbm" }, "error: --no-baseline and --baseline contradict each other.")]
    [InlineData(new[] { "--baseline", "RandomForest" }, "error: --baseline 'RandomForest' is not one of LbfgsMaximumEntropy, SdcaMaximumEntropy, LightGbm, FastTree, LbfgsLogisticRegression, SdcaLogisticRegression, Sdca.")]
    [InlineData(new[] { "--jacobian-rows", "0" }, "error: --jacobian-rows 0 must be at least 1.")]
    public void Compare_BadArguments_OneLineNamingTheOption(string[] args, string expected)
    {
        CliRun run = CliRun.Start(["compare", .. args]);

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal(expected, Assert.Single(run.Lines));
    }

    [Fact]
    public void Compare_ModelFileMissing_RefusedBeforeTrainingOrCreatingTheOutput()
    {
        using var folder = new TemporaryFolder();
        string model = folder.File("missing.zip");

        CliRun run = CliRun.Start("compare", "--model", model, "--output", folder.File("out"));

        Assert.Equal((int)ExitCode.InvalidModel, run.ExitCode);
        Assert.Equal($"error: --model '{model}': no such file.", Assert.Single(run.Lines));
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public void Compare_NetworkAndLinearBaseline_OneTableOneJsonOnePlot()
    {
        using var folder = new TemporaryFolder();
        string output = folder.File("compare");

        CliRun run = CliRun.Start("compare", "--lambdas", "0.1", "--baseline", "LbfgsMaximumEntropy", "--epochs", "2", "--hidden-layers", "16",
            "--max-rows", "300", "--attacks", "Quick", "--attack-rows", "30", "--jacobian-rows", "20", "--no-sanity-checks", "--output", output);

        Assert.True(run.ExitCode == 0, run.Output);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "compare.json")));
        JsonElement models = json.RootElement.GetProperty("models");
        Assert.Equal(["lambda 0.1", "LbfgsMaximumEntropy"], models.EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.All(models.EnumerateArray(), m => Assert.Equal("logits, exact", m.GetProperty("jacobian").GetString()));
        Assert.True(new FileInfo(Path.Combine(output, "compare.png")).Length > 1000);
        Assert.Contains("Side by side", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ModelZipOfThisLibrary_ExactLogitJacobianLikeInProcess()
    {
        using var folder = new TemporaryFolder();
        string model = folder.File("m.zip");
        string[] common = ["--epochs", "1", "--hidden-layers", "8", "--max-rows", "200", "--attacks", "Quick", "--attack-rows", "20", "--jacobian-rows", "20",
            "--no-sanity-checks", "--no-baseline"];
        CliRun trained = CliRun.Start(["compare", "--save-models", .. common, "--output", folder.File("first"), "--lambdas", "0.1,0"]);
        Assert.True(trained.ExitCode == 0, trained.Output);
        string zip = Path.Combine(folder.File("first"), "model-lambda-0.1.zip");

        CliRun run = CliRun.Start(["compare", "--model", zip, .. common, "--lambdas", "0", "--output", folder.File("second")]);

        Assert.True(run.ExitCode == 0, run.Output);
        using JsonDocument first = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.File("first"), "compare.json")));
        using JsonDocument second = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.File("second"), "compare.json")));
        JsonElement inProcess = first.RootElement.GetProperty("models").EnumerateArray().First(m => m.GetProperty("name").GetString() == "lambda 0.1");
        JsonElement loaded = second.RootElement.GetProperty("models").EnumerateArray().First(m => m.GetProperty("name").GetString() == "model-lambda-0.1");
        Assert.Equal("logits, exact", loaded.GetProperty("jacobian").GetString());
        Assert.Equal(inProcess.GetProperty("meanJacobianFrobeniusNorm").GetDouble(), loaded.GetProperty("meanJacobianFrobeniusNorm").GetDouble(), 4);
        Assert.Contains("mean ||J||_F logits (exact)", run.Output, StringComparison.Ordinal);
    }
}
