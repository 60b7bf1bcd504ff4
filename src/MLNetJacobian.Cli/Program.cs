using MLNetJacobian.Cli;
using Spectre.Console;

return CliApplication.Run(args, AnsiConsole.Console);
