using MLNetJacobian.Cli;
using Spectre.Console;

IAnsiConsole console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    // Logs and CI: tables as wide as they need and progress lines whole, not folded at the default 80 columns; help
    // text (which has no table to keep whole) wraps at 100 columns so that it reads like a terminal's.
    bool help = args.Length == 0 || args.Any(a => a is "-h" or "--help" or "-?");
    console.Profile.Width = help ? 100 : Math.Max(console.Profile.Width, 1000);
}

// Ctrl-C cancels the running command, which stops at its next check and prints one line (exit code 130); a second
// Ctrl-C ends the process at once.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    Console.Error.WriteLine("Ctrl-C: stopping (press it again to end at once)...");
    cancellation.Cancel();
};

return CliApplication.Run(args, console, Console.Error, cancellation.Token);
