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
        Assert.Equal("error: Unknown option 'bogus'.", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_ActivationNotDefined_ListsTheValidNames()
    {
        CliRun run = CliRun.Start("train", "--activation", "swish");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: Failed to convert 'swish' to Activation. Valid values are 'Relu', 'Tanh', 'Softplus', 'Gelu'", Assert.Single(run.Lines));
    }

    [Fact]
    public void Train_LambdaNotANumber_NamesTheValue()
    {
        CliRun run = CliRun.Start("train", "--lambda", "abc");

        Assert.Equal((int)ExitCode.InvalidArguments, run.ExitCode);
        Assert.Equal("error: Failed to convert 'abc' to Double.", Assert.Single(run.Lines));
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
}
