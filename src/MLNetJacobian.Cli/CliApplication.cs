using System.Reflection;
using MLNetJacobian.Cli.Commands;
using MLNetJacobian.Cli.Infrastructure;
using MLNetJacobian.Cli.Modeling;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli;

/// <summary>
/// The <c>mlnet-jacobian</c> command line: the commands, and the rule that every failure prints one line
/// (<c>error: ...</c>) and returns an <see cref="ExitCode"/>.
/// </summary>
public static class CliApplication
{
    /// <summary>The tool's command name.</summary>
    public const string Name = "mlnet-jacobian";

    /// <summary>The tool's version (the package version), as <c>--version</c> prints it.</summary>
    public static string Version { get; } =
        typeof(CliApplication).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(CliApplication).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>The command names, for messages about the command line.</summary>
    private static readonly string[] Commands = ["demo", "train", "evaluate", "compare", "analyze"];

    /// <summary>Runs the command line <paramref name="args"/> against <paramref name="console"/>.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="console">Where output goes (the terminal, or a recording console in tests).</param>
    /// <param name="errors">Where the one-line error goes (never wrapped); null for the console's own writer.</param>
    /// <returns>The process exit code.</returns>
    /// <param name="cancellationToken">Cancels the running command (the tool's Ctrl-C); it then prints one line and returns <see cref="ExitCode.Cancelled"/>.</param>
    public static int Run(string[] args, IAnsiConsole console, TextWriter? errors = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        TextWriter errorWriter = errors ?? console.Profile.Out.Writer;
        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(IAnsiConsole), console);
        registrar.RegisterInstance(typeof(ICommandInterceptor), new NoExtraArguments());
        var app = new CommandApp(registrar);
        app.Configure(config =>
        {
            config.SetApplicationName(Name);
            config.SetApplicationVersion(Version);
            config.ConfigureConsole(console);
            config.SetExceptionHandler((exception, _) => ReportFailure(errorWriter, exception, args));
            config.AddCommand<DemoCommand>("demo")
                .WithDescription("No arguments: train with and without the penalty on the embedded digits, attack both, draw decision cells.")
                .WithExample("demo")
                .WithExample("demo", "--output", "demo", "--epochs", "5");
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train a Jacobian-regularized network: the ML.NET zip, the history (JSON), learning curves (PNG).")
                .WithExample("train")
                .WithExample("train", "--data", "mnist/", "--lambda", "0.1", "--epochs", "5", "--model", "mnist.zip")
                .WithExample("train", "--data", "iris.csv", "--label", "species", "--hidden-layers", "16", "--model", "iris.zip");
            config.AddCommand<EvaluateCommand>("evaluate")
                .WithDescription("Attack any ML.NET multiclass model zip: table, report (JSON), plot (PNG).")
                .WithExample("evaluate", "--model", "model.zip")
                .WithExample("evaluate", "--model", "lightgbm.zip", "--data", "test.csv", "--label", "digit", "--attacks", "QuickWithSquare");
            config.AddCommand<CompareCommand>("compare")
                .WithDescription("Several models (lambdas, ML.NET baselines, zips) on the same data: one table, one plot.")
                .WithExample("compare")
                .WithExample("compare", "--lambdas", "0,0.1", "--baseline", "LightGbm", "--baseline", "LbfgsMaximumEntropy");
            config.AddCommand<AnalyzeCommand>("analyze")
                .WithDescription("Jacobian statistics, boundary distances and decision-cell maps of model zips.")
                .WithExample("analyze", "--model", "model.zip")
                .WithExample("analyze", "--model", "plain.zip", "--model", "regularized.zip", "--examples", "0,5", "--output", "cells");
        });
        return app.Run(args, cancellationToken);
    }

    /// <summary>Prints one line for <paramref name="exception"/> and chooses the exit code.</summary>
    private static int ReportFailure(TextWriter errors, Exception exception, string[] args)
    {
        (ExitCode code, string message) = exception switch
        {
            CliException cli => (cli.ExitCode, cli.Message),
            CommandAppException => (ExitCode.InvalidArguments, CommandLineErrors.Describe(exception.Message, args, Commands)),
            OperationCanceledException => (ExitCode.Cancelled, "cancelled (Ctrl-C); files already reported as written are complete, nothing else was written."),
            _ => (ExitCode.Failure, $"{exception.GetType().Name}: {exception.Message}"),
        };
        errors.WriteLine($"error: {Guard.OneLine(message)}");
        errors.Flush();
        return (int)code;
    }
}
