using System.Text.Json;

namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary><c>--layers</c> and <c>--image-shape</c>: a convolutional network through the tool, and the errors of bad layers and shapes.</summary>
public sealed class ConvolutionalTests
{
    private const string TinyConv = "conv 4 3 pad 1, tanh, maxpool 2, dense 16, tanh";

    [Fact]
    public void TrainThenEvaluate_TinyConvNetOnDigits_UsesTheDigitsImageShapeAndAttacksWhiteBox()
    {
        using var folder = new TemporaryFolder();
        string model = folder.File("conv.zip");

        CliRun train = CliRun.Start("train", "--model", model, "--layers", TinyConv, "--epochs", "1", "--max-rows", "300", "--batch-size", "32", "--learning-rate", "0.05");

        Assert.True(train.ExitCode == 0, train.Output);
        using (JsonDocument history = JsonDocument.Parse(File.ReadAllText(folder.File("conv.history.json"))))
        {
            JsonElement run = history.RootElement.GetProperty("run");
            Assert.Equal("1x8x8", run.GetProperty("options").GetProperty("imageShape").GetString());
            Assert.Contains("conv", run.GetProperty("options").GetProperty("layers").GetString(), StringComparison.Ordinal);
            Assert.Contains("conv", run.GetProperty("architecture").GetString(), StringComparison.OrdinalIgnoreCase);
        }

        CliRun evaluate = CliRun.Start("evaluate", "--model", model, "--max-rows", "300", "--attack-rows", "20", "--attacks", "fgsm,pgd",
            "--epsilons", "0.1", "--bisection-steps", "0", "--no-sanity-checks");

        Assert.True(evaluate.ExitCode == 0, evaluate.Output);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(folder.File("conv.robustness.json")));
        string text = report.RootElement.GetRawText();
        Assert.Contains("PGD", text, StringComparison.OrdinalIgnoreCase);
        // White box: the restored network's exact gradients drive FGSM/PGD (the evaluator names the model as a network).
        Assert.Contains("network", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Train_UnknownLayerWord_PassesTheLibrarysPositionAndWord()
    {
        CliRun run = CliRun.Start("train", "--layers", "conv 4 3, tanh, maxpol 2");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.StartsWith("error: --layers: Layer 3 ('maxpol 2') of \"conv 4 3, tanh, maxpol 2\"", run.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_ImageShapeNotHoldingTheFeatures_NamesBothCounts()
    {
        using var folder = new TemporaryFolder();

        CliRun run = CliRun.Start("train", "--model", folder.File("m.zip"), "--layers", TinyConv, "--image-shape", "1x28x28", "--max-rows", "50", "--epochs", "1");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --image-shape 1x28x28 holds 784 features, but embedded digits has 64 (an image of 1x8x8).", run.ErrorLine);
    }

    [Fact]
    public void Train_MalformedImageShape_SaysHowToWriteIt()
    {
        CliRun run = CliRun.Start("train", "--image-shape", "28x28");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --image-shape: '28x28' is not an image shape; write channels x height x width, for example 1x28x28.", run.ErrorLine);
    }

    [Fact]
    public void Train_LayersTooDeepForTheImage_NamesTheFlagsAndTheImage()
    {
        using var folder = new TemporaryFolder();

        CliRun run = CliRun.Start("train", "--model", folder.File("m.zip"), "--layers", "conv 4 5, maxpool 2, conv 4 5", "--max-rows", "50", "--epochs", "1");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.StartsWith("error: --layers does not fit the image 1x8x8: ", run.ErrorLine, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("m.zip")));
    }
    [Fact]
    public void Compare_TinyConvNets_TrainsEachLambdaWithTheLayersAndAttacksThem()
    {
        using var folder = new TemporaryFolder();
        string output = folder.File("cmp");

        CliRun run = CliRun.Start("compare", "--layers", TinyConv, "--lambdas", "0,0.1", "--no-baseline", "--epochs", "1", "--max-rows", "200",
            "--attack-rows", "10", "--attacks", "fgsm", "--epsilons", "0.1", "--headline-epsilon", "0.1", "--jacobian-rows", "10", "--no-sanity-checks", "--output", output);

        Assert.True(run.ExitCode == 0, run.Output);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "compare.json")));
        string text = summary.RootElement.GetRawText();
        Assert.Contains("conv 4 3 pad 1", text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "robustness-lambda-0.1.json")));
    }
}
