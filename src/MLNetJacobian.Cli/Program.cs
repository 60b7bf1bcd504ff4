using MLNetJacobian.Cli;
using Spectre.Console;

IAnsiConsole console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    // Logs and CI: tables as wide as they need and progress lines whole, not folded at the default 80 columns.
    console.Profile.Width = Math.Max(console.Profile.Width, 1000);
}

return CliApplication.Run(args, console, Console.Error);
