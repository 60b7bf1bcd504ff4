using System.Text.Json;

namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary>
/// The attack options of <c>evaluate</c> and <c>compare</c>: a list of attacks or a preset, the Gaussian noise's sigmas,
/// draws and clipping, PGD's steps and step size, Square's budget; one-draw noise accuracy reported beside worst-of-K.
/// </summary>
public sealed class AttackOptionsTests
{
    [Fact]
    public void Evaluate_ListOfAttacksWithNoiseSettings_RunsExactlyThoseAndReportsOneDrawBesideWorstOfK()
    {
        using var folder = new TemporaryFolder();
        string report = folder.File("r.json");

        CliRun run = CliRun.Start("evaluate", "--model", ModelFixtures.SmallNetwork, "--report", report, "--plot", folder.File("r.png"),
            "--attacks", "fgsm,noise", "--noise-sigmas", "0.2,0.6", "--noise-draws", "4", "--no-noise-clip",
            "--attack-rows", "60", "--bisection-steps", "0", "--no-sanity-checks");

        Assert.True(run.ExitCode == 0, run.Output);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement[] attacks = json.RootElement.GetProperty("attacks").EnumerateArray().ToArray();
        Assert.Equal(["Gaussian noise x4 unclipped", "FGSM L-inf"], attacks.Select(a => a.GetProperty("name").GetString()));
        Assert.Equal([0.2, 0.6], attacks[0].GetProperty("points").EnumerateArray().Select(p => Math.Round(p.GetProperty("strength").GetDouble(), 6)));
        Assert.Equal("no", attacks[0].GetProperty("settings").GetProperty("clippedToBounds").GetString());
        Assert.Contains("one draw (mean ± s.e. over 4 draws)", run.Output, StringComparison.Ordinal);
        Assert.Contains("worst of 4", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PgdAndSquareSettings_ReachTheAttacks()
    {
        using var folder = new TemporaryFolder();
        string report = folder.File("r.json");

        CliRun run = CliRun.Start("evaluate", "--model", ModelFixtures.SmallNetwork, "--report", report, "--plot", folder.File("r.png"),
            "--attacks", "pgd,square", "--pgd-steps", "7", "--pgd-step-size", "0.5", "--square-queries", "30", "--epsilons", "0.1",
            "--attack-rows", "30", "--bisection-steps", "0", "--no-sanity-checks");

        Assert.True(run.ExitCode == 0, run.Output);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement[] attacks = json.RootElement.GetProperty("attacks").EnumerateArray().ToArray();
        Assert.Equal(["PGD-7 L-inf step 0.5 eps", "Square-30 L-inf"], attacks.Select(a => a.GetProperty("name").GetString()));
        Assert.Equal("0.5 x epsilon", attacks[0].GetProperty("settings").GetProperty("stepSize").GetString());
    }

    [Theory]
    [InlineData(new[] { "--attacks", "noise,foo" }, "error: --attacks 'noise,foo' must be Quick, QuickWithSquare, Standard or a comma-separated list of uniform, noise, fgsm, pgd, apgd-ce, apgd-dlr, square; 'foo' is not.")]
    [InlineData(new[] { "--attacks", "pgd,pgd" }, "error: --attacks 'pgd,pgd' names pgd twice.")]
    [InlineData(new[] { "--noise-draws", "0" }, "error: --noise-draws 0 must be at least 1.")]
    [InlineData(new[] { "--noise-sigmas", "0.1,x" }, "error: --noise-sigmas '0.1,x' must be comma-separated numbers of at least 0; 'x' is not.")]
    [InlineData(new[] { "--pgd-steps", "0" }, "error: --pgd-steps 0 must be at least 1.")]
    [InlineData(new[] { "--pgd-step-size", "0" }, "error: --pgd-step-size 0 must be finite and greater than 0.")]
    [InlineData(new[] { "--square-queries", "0" }, "error: --square-queries 0 must be at least 1.")]
    public void Evaluate_BadAttackOptions_OneLineNamingTheOption(string[] args, string expected)
    {
        CliRun run = CliRun.Start(["evaluate", "--model", "m.zip", .. args]);

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal(expected, Assert.Single(run.Lines));
    }

    [Fact]
    public void Compare_HeadlineSigmaAndDraws_OneDrawColumnBesideWorstOfKInTableAndJson()
    {
        using var folder = new TemporaryFolder();
        string output = folder.File("compare");

        CliRun run = CliRun.Start("compare", "--lambdas", "0.1", "--baseline", "LbfgsMaximumEntropy", "--epochs", "2", "--hidden-layers", "16",
            "--max-rows", "300", "--attacks", "noise,fgsm", "--noise-sigmas", "0.2,0.4", "--noise-draws", "3", "--headline-sigma", "0.4",
            "--attack-rows", "60", "--jacobian-rows", "20", "--no-sanity-checks", "--output", output);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Gaussian sigma 0.4, one draw (mean ± s.e., 3 draws)", run.Output, StringComparison.Ordinal);
        Assert.Contains("Gaussian sigma 0.4, worst of 3", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("sigma 0.3", run.Output, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "compare.json")));
        foreach (JsonElement model in json.RootElement.GetProperty("models").EnumerateArray())
        {
            JsonElement[] noise = model.GetProperty("gaussianNoise").EnumerateArray().ToArray();
            Assert.Equal([0.2, 0.4], noise.Select(p => Math.Round(p.GetProperty("sigma").GetDouble(), 6)));
            Assert.All(noise, p => Assert.Equal(3, p.GetProperty("draws").GetInt32()));
            Assert.All(noise, p => Assert.True(p.GetProperty("oneDrawStandardError").GetDouble() >= 0, p.ToString()));
        }
    }

    [Fact]
    public void Compare_TrainingSeeds_CleanAndOneDrawNoiseOverSeedsPerLambda()
    {
        using var folder = new TemporaryFolder();
        string output = folder.File("compare");

        CliRun run = CliRun.Start("compare", "--lambdas", "0,0.1", "--no-baseline", "--training-seeds", "2", "--epochs", "1", "--hidden-layers", "16",
            "--max-rows", "300", "--attacks", "noise", "--noise-sigmas", "0.3", "--noise-draws", "2", "--attack-rows", "50", "--jacobian-rows", "10",
            "--no-sanity-checks", "--seed", "4", "--output", output);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Over training seeds (noise: one draw, mean over 2 draws, sigma 0.3)", run.Output, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "compare.json")));
        JsonElement[] spreads = json.RootElement.GetProperty("overTrainingSeeds").EnumerateArray().ToArray();
        Assert.Equal(["lambda 0", "lambda 0.1"], spreads.Select(s => s.GetProperty("name").GetString()));
        Assert.All(spreads, s => Assert.Equal([4, 5], s.GetProperty("seeds").EnumerateArray().Select(e => e.GetInt32())));
        Assert.All(spreads, s => Assert.Equal(2, s.GetProperty("gaussianOneDrawAccuracy").GetArrayLength()));
        Assert.All(spreads, s => Assert.All(s.GetProperty("cleanAccuracy").EnumerateArray(), a => Assert.InRange(a.GetDouble(), 0.0, 1.0)));
    }

    [Theory]
    [InlineData(new[] { "--training-seeds", "0" }, "error: --training-seeds 0 must be at least 1.")]
    [InlineData(new[] { "--training-seeds", "3", "--lambdas", "", "--baseline", "LightGbm", "--baseline", "LbfgsMaximumEntropy" }, "error: --training-seeds 3 applies to the networks of --lambdas; none is trained.")]
    public void Compare_BadTrainingSeeds_OneLineNamingTheOption(string[] args, string expected)
    {
        CliRun run = CliRun.Start(["compare", .. args]);

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal(expected, Assert.Single(run.Lines));
    }
}
