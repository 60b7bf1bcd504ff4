using System.Text;
using Spectre.Console;

namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary>
/// No silent wrong results from the tool: damaged zips refused, evaluation on training rows or on another scale
/// warned about, options that would do nothing refused, unwritable outputs found before any work, Ctrl-C reported.
/// </summary>
public sealed class TrustTests
{
    private static readonly string[] Quick = ["--attacks", "Quick", "--attack-rows", "40", "--epsilons", "0.1", "--bisection-steps", "0", "--no-sanity-checks"];

    [Fact]
    public void Evaluate_ZipWithAByteFlipped_ExitCode4NamingTheDamage()
    {
        using var folder = new TemporaryFolder();
        byte[] bytes = File.ReadAllBytes(ModelFixtures.SmallNetwork);
        bytes[bytes.Length / 2] ^= 0x20;
        string damaged = folder.File("damaged.zip");
        File.WriteAllBytes(damaged, bytes);

        CliRun run = CliRun.Start(["evaluate", "--model", damaged, "--report", folder.File("r.json"), "--plot", folder.File("r.png"), .. Quick]);

        Assert.Equal((int)ExitCode.InvalidModel, run.ExitCode);
        Assert.Contains("damaged", run.ErrorLine, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("r.json")));
    }

    [Fact]
    public void Evaluate_OtherSplitSeedThanTraining_WarnsAboutTrainingRows()
    {
        using var folder = new TemporaryFolder();
        string model = folder.File("m.zip");
        CliRun train = CliRun.Start("train", "--model", model, "--epochs", "1", "--hidden-layers", "8", "--split-seed", "7");
        Assert.True(train.ExitCode == 0, train.Output);

        CliRun other = CliRun.Start(["evaluate", "--model", model, "--report", folder.File("a.json"), "--plot", folder.File("a.png"), .. Quick]);
        CliRun same = CliRun.Start(["evaluate", "--model", model, "--split-seed", "7", "--report", folder.File("b.json"), "--plot", folder.File("b.png"), .. Quick]);

        Assert.Equal(0, other.ExitCode);
        string flat = string.Join(" ", other.Lines);
        Assert.Contains("warning: ", flat, StringComparison.Ordinal);
        Assert.Contains("was trained on this data split with --split-seed 7 --test-fraction 0.2", flat, StringComparison.Ordinal);
        Assert.Contains("include training rows", flat, StringComparison.Ordinal);
        Assert.Equal(0, same.ExitCode);
        Assert.DoesNotContain(same.Lines, line => line.StartsWith("warning: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_ModelTrainedOnRawScale_WarnsAboutTheScale()
    {
        using var folder = new TemporaryFolder();
        var builder = new StringBuilder();
        var digits = MLNetJacobian.Data.DigitsDataset.Load(scaleToUnitInterval: false);
        for (int i = 0; i < 300; i++)
        {
            builder.AppendJoin(',', digits.Row(i).ToArray().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            builder.Append(',').Append(digits.ClassNames[digits.Labels[i]]).Append('\n');
        }

        string data = folder.Write("raw.csv", builder.ToString());
        string model = folder.File("m.zip");
        CliRun train = CliRun.Start("train", "--data", data, "--model", model, "--epochs", "1", "--hidden-layers", "8");
        Assert.True(train.ExitCode == 0, train.Output);

        CliRun run = CliRun.Start(["evaluate", "--model", model, "--report", folder.File("r.json"), "--plot", folder.File("r.png"), .. Quick]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.Lines, line => line.StartsWith("warning: ", StringComparison.Ordinal) && line.Contains("trained on features in [0, 16]", StringComparison.Ordinal)
            && line.Contains("[0, 1]", StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_LambdaOption_RefusedNamingLambdas()
    {
        using var folder = new TemporaryFolder();

        CliRun run = CliRun.Start("compare", "--lambda", "0.5", "--output", folder.File("out"));

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Contains("--lambdas", run.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_SkipNonFiniteOnCsv_SkipsTheRows()
    {
        using var folder = new TemporaryFolder();
        var builder = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 40; i++) builder.Append($"{i % 2},{i % 3},{i % 2}\n");
        builder.Append("NaN,1,0\n1,Infinity,1\n");
        string data = folder.Write("d.csv", builder.ToString());

        CliRun refused = CliRun.Start("train", "--data", data, "--epochs", "1", "--hidden-layers", "4", "--model", folder.File("a.zip"));
        CliRun skipped = CliRun.Start("train", "--data", data, "--epochs", "1", "--hidden-layers", "4", "--model", folder.File("b.zip"), "--skip-non-finite");

        Assert.Equal((int)ExitCode.InvalidData, refused.ExitCode);
        Assert.Contains("--skip-non-finite", refused.ErrorLine, StringComparison.Ordinal);
        Assert.True(skipped.ExitCode == 0, skipped.Output);
        Assert.Contains("2 rows with a NaN or infinite feature skipped", skipped.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_OutputFolderNotWritable_ExitCode6BeforeTraining()
    {
        string model = "/proc/mlnet-jacobian-test/m.zip";

        CliRun run = CliRun.Start("train", "--model", model, "--epochs", "1", "--hidden-layers", "4");

        Assert.Equal((int)ExitCode.OutputNotWritable, run.ExitCode);
        Assert.StartsWith($"error: --model '{model}' cannot be written:", run.ErrorLine, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Lines, line => line.StartsWith("Data:", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_Cancelled_OneLineAndExitCode130_DemoFolderRemoved()
    {
        using var folder = new TemporaryFolder();
        string output = folder.File("demo");
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        int code = CliApplication.Run(["demo", "--output", output, "--epochs", "1"], console, writer, cancelled.Token);

        Assert.Equal((int)ExitCode.Cancelled, code);
        Assert.Contains("error: cancelled (Ctrl-C)", writer.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "the unfinished demo folder is removed");
    }

    [Fact]
    public void Help_LinesFitAWideTerminal()
    {
        CliRun run = CliRun.Start("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.All(run.Lines, line => Assert.True(line.Length <= 130, $"{line.Length} characters: {line}"));
    }

    [Fact]
    public void Train_UpperBoundBelowTheDataMinimum_NamesTheToolOptionsOnce()
    {
        using var folder = new TemporaryFolder();

        CliRun run = CliRun.Start("train", "--upper-bound", "-1", "--epochs", "1", "--model", folder.File("m.zip"));

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: the feature bounds are not ordered: the default lower bound (the data's minimum, or 0 for images) is 0 and --upper-bound is -1; "
            + "give --lower-bound and --upper-bound with the lower below the upper.", run.ErrorLine);
        Assert.DoesNotContain("LowerBound", run.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TestCsvTheModelWasNotTrainedOn_AllRowsEvaluated()
    {
        using var folder = new TemporaryFolder();
        var builder = new StringBuilder();
        var digits = MLNetJacobian.Data.DigitsDataset.Load(scaleToUnitInterval: true);
        for (int i = 0; i < 50; i++)
        {
            builder.AppendJoin(',', digits.Row(i).ToArray().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            builder.Append(',').Append(digits.ClassNames[digits.Labels[i]]).Append('\n');
        }

        string data = folder.Write("test.csv", builder.ToString());

        CliRun run = CliRun.Start(["evaluate", "--model", ModelFixtures.SmallNetwork, "--data", data, "--report", folder.File("r.json"), "--plot", folder.File("r.png"),
            "--attacks", "Quick", "--epsilons", "0.1", "--bisection-steps", "0", "--no-sanity-checks"]);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Evaluating all 50 rows of", string.Join(" ", run.Lines), StringComparison.Ordinal);
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(folder.File("r.json")));
        JsonElementAssert.ExampleCount(report.RootElement, 50);
    }

    private static class JsonElementAssert
    {
        public static void ExampleCount(System.Text.Json.JsonElement root, int expected)
        {
            System.Text.Json.JsonElement count = root.EnumerateObject().First(p => p.Name is "example_count" or "exampleCount").Value;
            Assert.Equal(expected, count.GetInt32());
        }
    }
}
