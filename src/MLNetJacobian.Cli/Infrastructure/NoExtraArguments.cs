using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Infrastructure;

/// <summary>
/// Refuses arguments no command declares: unknown options, and anything after <c>--</c>. The tool parses in
/// Spectre.Console.Cli's relaxed mode, which collects such arguments instead of failing, because its strict mode
/// retries a failed parse with an internal command name inserted, and that name then becomes the value of an option
/// given last without one (<c>demo -o</c> wrote into a folder named <c>__default_command</c>).
/// </summary>
internal sealed class NoExtraArguments : ICommandInterceptor
{
    public void Intercept(CommandContext context, CommandSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        string help = $"see '{CliApplication.Name} {context.Name} --help'";
        if (context.Remaining.Parsed.FirstOrDefault() is { } option)
        {
            // The key is the option as typed (with its dashes).
            throw CliException.InvalidArgument($"{context.Name} has no option '{option.Key}'; {help}.");
        }

        if (context.Remaining.Raw.Count > 0)
        {
            throw CliException.InvalidArgument($"unexpected argument '{context.Remaining.Raw[0]}': {context.Name} takes options only; {help}.");
        }
    }

    public void InterceptResult(CommandContext context, CommandSettings settings, ref int result)
    {
    }
}
