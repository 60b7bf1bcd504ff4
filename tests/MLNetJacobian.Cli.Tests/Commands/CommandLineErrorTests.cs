namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary>Errors of the command line itself: unknown commands and options, values that do not convert.</summary>
public sealed class CommandLineErrorTests
{
    [Fact]
    public void Run_UnknownCommand_OneLineErrorAndExitCode2()
    {
        CliRun run = CliRun.Start("frobnicate");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: Unknown command 'frobnicate'.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_UnknownOption_OneLineErrorAndExitCode2()
    {
        CliRun run = CliRun.Start("train", "--bogus", "1");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: train has no option '--bogus'; see 'mlnet-jacobian train --help'.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_ActivationNotDefined_ListsTheValidNames()
    {
        CliRun run = CliRun.Start("train", "--activation", "swish");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --activation 'swish' is not one of Relu, Tanh, Softplus, Gelu.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_LambdaNotANumber_NamesTheValue()
    {
        CliRun run = CliRun.Start("train", "--lambda", "abc");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --lambda 'abc' is not a number.", Assert.Single(run.Lines));
    }

    [Theory]
    [InlineData("--max-rows", "abc", "error: --max-rows 'abc' is not a whole number.")]
    [InlineData("--epochs", "2.5", "error: --epochs '2.5' is not a whole number.")]
    [InlineData("--lower-bound", "low", "error: --lower-bound 'low' is not a number.")]
    public void Train_ValueOfWrongType_NamesOptionValueAndExpectedKind(string option, string value, string expected)
    {
        CliRun run = CliRun.Start("train", option, value);

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal(expected, Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_ValueAfterEqualsSign_NamesTheOption()
    {
        CliRun run = CliRun.Start("train", "--lambda=abc");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --lambda 'abc' is not a number.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Demo_OutputLastWithoutValue_SaysItNeedsAValue()
    {
        // Spectre's strict mode made its internal name '__default_command' the value of an option given last without
        // one: this ran the demo into a folder of that name.
        CliRun run = CliRun.Start("demo", "--quick", "-o");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --output needs a value; see 'mlnet-jacobian demo --help'.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_OptionWithoutValueBeforeAnother_SaysItNeedsAValue()
    {
        CliRun run = CliRun.Start("train", "--epochs", "--lambda", "0");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: --epochs needs a value; see 'mlnet-jacobian train --help'.", Assert.Single(run.Lines));
    }

    [Theory]
    [InlineData(new[] { "train", "extra" }, "error: unexpected argument 'extra': train takes options only; see 'mlnet-jacobian train --help'.")]
    [InlineData(new[] { "train", "--epochs", "1", "--", "extra" }, "error: unexpected argument 'extra': train takes options only; see 'mlnet-jacobian train --help'.")]
    [InlineData(new[] { "evaluate", "--model", "m.zip", "-x" }, "error: evaluate has no option '-x'; see 'mlnet-jacobian evaluate --help'.")]
    public void Run_ArgumentNoCommandDeclares_RefusedBeforeRunning(string[] args, string expected)
    {
        CliRun run = CliRun.Start(args);

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal(expected, Assert.Single(run.Lines));
    }

    [Fact]
    public void Run_LongErrorOnNarrowConsole_StillOneLine()
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        Spectre.Console.IAnsiConsole console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No,
            Interactive = Spectre.Console.InteractionSupport.No,
            Out = new Spectre.Console.AnsiConsoleOutput(output),
        });
        console.Profile.Width = 40;

        int code = CliApplication.Run(["train", "--hidden-layers", "200,200,not-a-width"], console, errors);

        Assert.Equal((int)ExitCode.InvalidArguments, code);
        Assert.Equal(
            "error: --hidden-layers '200,200,not-a-width' must be comma-separated widths of at least 1 (for example 200,200), or 'none'; 'not-a-width' is not." + Environment.NewLine,
            errors.ToString());
        Assert.Equal(string.Empty, output.ToString());
    }

    [Fact]
    public void Help_EveryCommand_PrintsUsageAndExitsZero()
    {
        foreach (string command in new[] { "demo", "train", "evaluate", "analyze", "compare" })
        {
            CliRun run = CliRun.Start(command, "--help");

            Assert.Equal(0, run.ExitCode);
            Assert.Contains($"mlnet-jacobian {command} [OPTIONS]", run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("error:", run.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Version_PrintsThePackageVersionAndExitsZero()
    {
        CliRun run = CliRun.Start("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("0.1.0", Assert.Single(run.Lines));
    }
}
