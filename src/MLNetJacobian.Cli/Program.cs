using MLNetJacobian.Cli;
using Spectre.Console;

IAnsiConsole console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    // Logs and CI: tables as wide as they need, not folded at the default 80 columns.
    console.Profile.Width = Math.Max(console.Profile.Width, 180);
}

return CliApplication.Run(args, console, Console.Error);
