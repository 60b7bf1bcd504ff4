using Spectre.Console;

namespace MLNetJacobian.Cli.Tests;

/// <summary>Runs the tool in-process against a recording console: plain text, no colors, 240 columns.</summary>
internal sealed record CliRun(int ExitCode, string Output)
{
    /// <summary>The output's lines, trimmed, without blank ones.</summary>
    public IReadOnlyList<string> Lines => Output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();

    /// <summary>The single <c>error: </c> line the tool printed (fails when there is not exactly one).</summary>
    public string ErrorLine => Assert.Single(Lines, l => l.StartsWith("error: ", StringComparison.Ordinal));

    public static CliRun Start(params string[] args)
    {
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;
        int code = CliApplication.Run(args, console, writer);
        return new CliRun(code, writer.ToString());
    }
}
