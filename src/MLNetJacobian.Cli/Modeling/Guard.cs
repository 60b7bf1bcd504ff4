using System.Text.RegularExpressions;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>Turns library exceptions about arguments into <see cref="CliException"/>s with the right exit code.</summary>
internal static partial class Guard
{
    /// <summary>Runs <paramref name="action"/>; an <see cref="ArgumentException"/> becomes an invalid-arguments error.</summary>
    public static T Arguments<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ArgumentException exception)
        {
            throw CliException.InvalidArgument(OneLine(exception.Message));
        }
    }

    /// <summary>Runs <paramref name="action"/>; an <see cref="ArgumentException"/> or data error becomes an invalid-data error.</summary>
    public static T Data<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or InvalidDataException or FormatException)
        {
            throw CliException.InvalidData(OneLine(exception.Message), exception);
        }
    }

    /// <summary>
    /// The message on one line, without ArgumentException's "(Parameter 'x')" suffix (x is a library parameter's name,
    /// which means nothing on the command line).
    /// </summary>
    public static string OneLine(string message)
    {
        string flat = message.ReplaceLineEndings(" ").Trim();
        while (flat.Contains("  ", StringComparison.Ordinal)) flat = flat.Replace("  ", " ", StringComparison.Ordinal);
        return ParameterSuffix().Replace(flat, string.Empty).Trim();
    }

    [GeneratedRegex(@" \(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();
}
