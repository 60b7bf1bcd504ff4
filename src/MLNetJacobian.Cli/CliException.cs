namespace MLNetJacobian.Cli;

/// <summary>
/// A failure the user can act on: printed as one line (<c>error: message</c>) and turned into <see cref="ExitCode"/>.
/// </summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="exitCode">The process exit code; never <see cref="ExitCode.Success"/>.</param>
    /// <param name="message">One line naming the argument, file, line or column concerned, with the offending value.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public CliException(ExitCode exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        if (exitCode == ExitCode.Success) throw new ArgumentOutOfRangeException(nameof(exitCode), exitCode, "A CliException reports a failure.");
        ExitCode = exitCode;
    }

    /// <summary>The process exit code.</summary>
    public ExitCode ExitCode { get; }

    /// <summary>A bad command-line value.</summary>
    /// <param name="message">The message, naming the option and its value.</param>
    public static CliException InvalidArgument(string message) => new(ExitCode.InvalidArguments, message);

    /// <summary>Unreadable or malformed data.</summary>
    /// <param name="message">The message, naming the file and the line, record or offset.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public static CliException InvalidData(string message, Exception? innerException = null) => new(ExitCode.InvalidData, message, innerException);

    /// <summary>A model that cannot be used.</summary>
    /// <param name="message">The message, naming the model file.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public static CliException InvalidModel(string message, Exception? innerException = null) => new(ExitCode.InvalidModel, message, innerException);
}
