using System.Text.Json;

namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary><c>demo</c>: its few options' errors, the fresh-folder rule, and a quick run whose files exist and parse.</summary>
public sealed class DemoCommandTests
{
    [Theory]
    [InlineData("--lambda", "0", "error: --lambda 0 must be finite and greater than 0 (the other model is trained with 0).")]
    [InlineData("--epochs", "0", "error: --epochs 0 must be at least 1.")]
    [InlineData("--attack-rows", "0", "error: --attack-rows 0 must be at least 1.")]
    [InlineData("--hidden-layers", "0", "error: --hidden-layers '0' must be comma-separated widths of at least 1 (for example 200,200), or 'none'; '0' is not.")]
    public void Demo_OptionOutOfRange_NamesOptionAndValue(string option, string value, string expected)
    {
        CliRun run = CliRun.Start("demo", option, value);

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal(expected, Assert.Single(run.Lines));
    }

    [Fact]
    public void Demo_OutputFolderNotEmpty_RefusedWithoutForce()
    {
        using var folder = new TemporaryFolder();
        folder.Write("keep.txt", "mine");

        CliRun run = CliRun.Start("demo", "--output", folder.Path);

        Assert.Equal((int)ExitCode.OutputExists, run.ExitCode);
        Assert.Equal($"error: --output '{folder.Path}' exists and is not empty; pass --force or choose another folder.", Assert.Single(run.Lines));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Demo_Quick_WritesZipsReportsAndPicturesThatParse()
    {
        using var folder = new TemporaryFolder();
        string output = folder.File("demo");

        CliRun run = CliRun.Start("demo", "--quick", "--output", output, "--hidden-layers", "32");

        Assert.True(run.ExitCode == 0, run.Output);
        string[] expected =
        [
            "model-lambda0.zip", "model-lambda0.1.zip", "history-lambda0.json", "history-lambda0.1.json", "learning-curves.png",
            "robustness-lambda0.json", "robustness-lambda0.png", "robustness-lambda0.1.json", "robustness-lambda0.1.png",
            "robustness-comparison.png", "summary.json", "comparison.json", "comparison.txt", "cells-example0-random.png", "cells-example0-singular.png",
        ];
        foreach (string name in expected) Assert.True(File.Exists(Path.Combine(output, name)), name);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        JsonElement models = summary.RootElement.GetProperty("models");
        Assert.Equal(2, models.GetArrayLength());
        Assert.Equal(["lambda 0", "lambda 0.1"], models.EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        foreach (JsonElement model in models.EnumerateArray())
        {
            Assert.Equal(["Gaussian noise x1", "FGSM L-inf", "PGD-20 L-inf"], model.GetProperty("attacks").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
            Assert.True(model.GetProperty("meanJacobianFrobeniusNorm").GetDouble() > 0);
        }

        Assert.Contains($"Results in {output}", run.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(output, "*.tmp"));
    }
}
