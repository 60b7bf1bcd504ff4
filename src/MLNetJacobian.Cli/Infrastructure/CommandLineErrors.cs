using System.Reflection;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Infrastructure;

/// <summary>
/// Rewrites Spectre.Console.Cli's parse and conversion messages so that they name the option and the value as the
/// tool's own messages do ("Failed to convert 'abc' to Nullable`1." becomes "--max-rows 'abc' is not a whole number.").
/// Messages it does not recognize pass through unchanged.
/// </summary>
internal static partial class CommandLineErrors
{
    /// <summary>The message for a Spectre.Console.Cli exception raised while parsing <paramref name="args"/>.</summary>
    /// <param name="message">Spectre's message.</param>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="commands">The tool's command names.</param>
    public static string Describe(string message, IReadOnlyList<string> args, IReadOnlyCollection<string> commands)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(args);
        string? command = args.Count > 0 && commands.Contains(args[0]) ? args[0] : null;
        string help = command is null ? $"see '{CliApplication.Name} --help'" : $"see '{CliApplication.Name} {command} --help'";

        if (NoValue().Match(message) is { Success: true } noValue)
        {
            return $"{OptionText(noValue.Groups["name"].Value)} needs a value; {help}.";
        }

        if (UnknownCommand().Match(message) is { Success: true } unknown && command is not null)
        {
            return $"unexpected argument '{unknown.Groups["name"].Value}': {command} takes options only; {help}.";
        }

        if (message == FlagWithValue && FindFlagWithValue(args) is { } flag)
        {
            return $"{flag.Option} is a switch and takes no value ('{flag.Value}' given): write {flag.Option} alone to turn it on; {help}.";
        }

        if (ConversionFailed().Match(message) is { Success: true } conversion && FindOption(args, conversion.Groups["value"].Value) is { } option)
        {
            string value = conversion.Groups["value"].Value;
            string valid = conversion.Groups["valid"].Value;
            string expected = valid.Length > 0
                ? "not one of " + valid.Replace("'", string.Empty, StringComparison.Ordinal).Trim()
                : "not " + Describe(OptionType(option));
            return $"{option} '{value}' is {expected}.";
        }

        return message;
    }

    /// <summary>Spectre's message for <c>--switch=value</c>.</summary>
    private const string FlagWithValue = "Flags cannot be assigned a value.";

    /// <summary>The first <c>--option=value</c> (or <c>:value</c>) on the command line whose option is a boolean switch.</summary>
    private static (string Option, string Value)? FindFlagWithValue(IReadOnlyList<string> args)
    {
        foreach (string arg in args)
        {
            if (Assignment(arg) is { } assignment && OptionType(assignment.Option) is { } type
                && (Nullable.GetUnderlyingType(type) ?? type) == typeof(bool))
            {
                return assignment;
            }
        }

        return null;
    }

    private static string OptionText(string name) => name.Length == 1 ? "-" + name : "--" + name;

    /// <summary>The option whose value is <paramref name="value"/> on the command line (<c>--x value</c> or <c>--x=value</c>).</summary>
    private static string? FindOption(IReadOnlyList<string> args, string value)
    {
        for (int i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith('-')) continue;
            if (Assignment(args[i]) is { } assignment)
            {
                if (assignment.Value == value) return assignment.Option;
            }
            else if (i + 1 < args.Count && args[i + 1] == value)
            {
                return args[i];
            }
        }

        return null;
    }

    /// <summary><c>--x=value</c> (or <c>--x:value</c>) split into option and value; null for anything else.</summary>
    private static (string Option, string Value)? Assignment(string arg)
    {
        int separator = arg.IndexOfAny(['=', ':']);
        return arg.StartsWith('-') && separator > 0 ? (arg[..separator], arg[(separator + 1)..]) : null;
    }

    /// <summary>The declared type of <paramref name="option"/> (as typed, with dashes) in any command's settings.</summary>
    private static Type? OptionType(string option)
    {
        string name = option.TrimStart('-');
        return typeof(CliApplication).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(CommandSettings)))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(p => p.GetCustomAttribute<CommandOptionAttribute>() is { } attribute
                && (attribute.LongNames.Contains(name) || attribute.ShortNames.Contains(name)))
            .Select(p => p.PropertyType)
            .FirstOrDefault();
    }

    private static string Describe(Type? type)
    {
        Type? element = type is null ? null : Nullable.GetUnderlyingType(type) ?? (type.IsArray ? type.GetElementType() : type);
        return element switch
        {
            _ when element == typeof(int) || element == typeof(long) => "a whole number",
            _ when element == typeof(float) || element == typeof(double) => "a number",
            _ when element == typeof(bool) => "true or false",
            _ => "a valid value",
        };
    }

    [GeneratedRegex(@"^Option '(?<name>[^']+)' is defined but no value has been provided\.$")]
    private static partial Regex NoValue();

    [GeneratedRegex(@"^Unknown command '(?<name>[^']*)'\.$")]
    private static partial Regex UnknownCommand();

    [GeneratedRegex(@"^Failed to convert '(?<value>.*)' to [^ ]+?\.(?: Valid values are (?<valid>.*))?$", RegexOptions.Singleline)]
    private static partial Regex ConversionFailed();
}
