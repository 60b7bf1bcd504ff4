namespace MLNetJacobian.Cli.Tests.Commands;

/// <summary>Errors of the command line itself: unknown commands and options, values that do not convert.</summary>
public sealed class CommandLineErrorTests
{
    /// <summary>
    /// Bad command lines: each is refused before anything runs, with exit code 2 and one line that names the command,
    /// option or value. The "-o" row: Spectre's strict mode used to make its internal name '__default_command' the
    /// value of an option given last without one, which ran the demo into a folder of that name.
    /// </summary>
    [Theory]
    [InlineData(new[] { "frobnicate" }, "error: Unknown command 'frobnicate'.")]
    [InlineData(new[] { "train", "--bogus", "1" }, "error: train has no option '--bogus'; see 'mlnet-jacobian train --help'.")]
    [InlineData(new[] { "train", "--activation", "swish" }, "error: --activation 'swish' is not one of Relu, Tanh, Softplus, Gelu.")]
    [InlineData(new[] { "train", "--lambda", "abc" }, "error: --lambda 'abc' is not a number.")]
    [InlineData(new[] { "train", "--lambda=abc" }, "error: --lambda 'abc' is not a number.")]
    [InlineData(new[] { "train", "--max-rows", "abc" }, "error: --max-rows 'abc' is not a whole number.")]
    [InlineData(new[] { "train", "--epochs", "2.5" }, "error: --epochs '2.5' is not a whole number.")]
    [InlineData(new[] { "train", "--lower-bound", "low" }, "error: --lower-bound 'low' is not a number.")]
    [InlineData(new[] { "train", "--nesterov=maybe" }, "error: --nesterov is a switch and takes no value ('maybe' given): write --nesterov alone to turn it on; see 'mlnet-jacobian train --help'.")]
    [InlineData(new[] { "demo", "--quick", "-o" }, "error: --output needs a value; see 'mlnet-jacobian demo --help'.")]
    [InlineData(new[] { "train", "--epochs", "--lambda", "0" }, "error: --epochs needs a value; see 'mlnet-jacobian train --help'.")]
    [InlineData(new[] { "train", "extra" }, "error: unexpected argument 'extra': train takes options only; see 'mlnet-jacobian train --help'.")]
    [InlineData(new[] { "train", "--epochs", "1", "--", "extra" }, "error: unexpected argument 'extra': train takes options only; see 'mlnet-jacobian train --help'.")]
    [InlineData(new[] { "evaluate", "--model", "m.zip", "-x" }, "error: evaluate has no option '-x'; see 'mlnet-jacobian evaluate --help'.")]
    public void Run_BadCommandLine_OneLineErrorAndExitCode2(string[] args, string expected)
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
