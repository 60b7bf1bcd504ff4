using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary>
/// <c>--normalize</c>: the normalizer is the saved model's first step, the console and the history say in which space
/// lambda acts, and attacks stay in raw feature units.
/// </summary>
public sealed class NormalizationTests
{
    [Fact]
    public void Train_StandardizeWithGivenStatistics_SavesThatNormalizerFirstAndNamesLambdasSpace()
    {
        using var folder = new TemporaryFolder();
        string model = folder.File("std.zip");

        CliRun run = CliRun.Start("train", "--model", model, "--epochs", "1", "--hidden-layers", "16", "--max-rows", "300",
            "--normalize", "Standardize", "--normalize-mean", "0.25", "--normalize-std", "0.4");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Lambda acts on the Jacobian w.r.t. the standardized features (x - 0.25) / 0.4; the saved model takes raw features.", run.Output, StringComparison.Ordinal);
        NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>> affine = FirstStepOf(model);
        Assert.All(affine.Scale, s => Assert.Equal(1 / 0.4, s, 1e-5));
        Assert.All(affine.Offset, o => Assert.Equal(0.25, o, 1e-5));
        using JsonDocument history = JsonDocument.Parse(File.ReadAllText(folder.File("std.history.json")));
        JsonElement normalization = history.RootElement.GetProperty("run").GetProperty("normalization");
        Assert.Equal("Standardize", normalization.GetProperty("mode").GetString());
        Assert.False(normalization.GetProperty("fitted").GetBoolean());
    }

    [Fact]
    public void Train_StandardizeFitted_EveryFeatureScaledFinitely()
    {
        using var folder = new TemporaryFolder();
        string model = folder.File("fitted.zip");

        // The digits have constant (all-zero) pixels: their scale must still be finite.
        CliRun run = CliRun.Start("train", "--model", model, "--epochs", "1", "--hidden-layers", "16", "--max-rows", "300", "--normalize", "Standardize");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("with each feature's mean and std fitted on the training rows", run.Output, StringComparison.Ordinal);
        NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>> affine = FirstStepOf(model);
        Assert.All(affine.Scale, s => Assert.True(float.IsFinite(s)));
    }

    [Fact]
    public void Compare_NormalizedNetwork_AttackedInRawUnitsThroughItsNormalizer()
    {
        using var folder = new TemporaryFolder();
        string output = folder.File("compare");

        // The network sees (x - 0.5) * 4: attacked on raw pixels without its normalizer, its clean accuracy would collapse.
        CliRun run = CliRun.Start("compare", "--lambdas", "0.1", "--baseline", "LbfgsMaximumEntropy", "--epochs", "3", "--hidden-layers", "32",
            "--max-rows", "600", "--attacks", "Quick", "--attack-rows", "100", "--jacobian-rows", "20", "--no-sanity-checks", "--output", output,
            "--normalize", "Standardize", "--normalize-mean", "0.5", "--normalize-std", "0.25");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Lambda acts on the Jacobian w.r.t. the standardized features (x - 0.5) / 0.25; attacks perturb the raw features.", run.Output, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "compare.json")));
        JsonElement network = json.RootElement.GetProperty("models")[0];
        Assert.True(network.GetProperty("cleanAccuracy").GetDouble() > 0.8, network.ToString());
        Assert.Contains(network.GetProperty("notices").EnumerateArray(), n => n.GetString()!.Contains("white-box", StringComparison.Ordinal));
        Assert.Equal("logits w.r.t. the standardized features (x - 0.5) / 0.25 (where lambda acts), exact", network.GetProperty("jacobian").GetString());
    }

    [Theory]
    [InlineData(new[] { "--normalize-mean", "0.1" }, "error: --normalize-mean and --normalize-std go together; give both or neither.")]
    [InlineData(new[] { "--normalize", "MinMax", "--normalize-mean", "0.1", "--normalize-std", "0.3" }, "error: --normalize-mean and --normalize-std apply to --normalize Standardize, not MinMax.")]
    [InlineData(new[] { "--normalize", "Standardize", "--normalize-mean", "0.1", "--normalize-std", "0" }, "error: --normalize-std 0 must be finite and greater than 0.")]
    public void Train_BadNormalizeArguments_OneLineNamingTheOption(string[] args, string expected)
    {
        CliRun run = CliRun.Start(["train", .. args]);

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal(expected, Assert.Single(run.Lines));
    }

    /// <summary>The saved model's first step, which must be an affine normalizer.</summary>
    private static NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>> FirstStepOf(string model)
    {
        ITransformer loaded = new MLContext(seed: 0).Model.Load(model, out _);
        var normalizer = Assert.IsType<NormalizingTransformer>(((IEnumerable<ITransformer>)loaded).First());
        return Assert.IsType<NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>>>(normalizer.GetNormalizerModelParameters(0));
    }
}
