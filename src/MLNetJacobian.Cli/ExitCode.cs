namespace MLNetJacobian.Cli;

/// <summary>The process exit codes of <c>mlnet-jacobian</c>.</summary>
public enum ExitCode
{
    /// <summary>The command did what it was asked.</summary>
    Success = 0,

    /// <summary>An unexpected failure (a bug or an environment problem); the message says what happened.</summary>
    Failure = 1,

    /// <summary>The command line is wrong: an unknown command or option, a value out of range, options that conflict.</summary>
    InvalidArguments = 2,

    /// <summary>The data cannot be read: a missing or unreadable file, a malformed line or record, a missing column.</summary>
    InvalidData = 3,

    /// <summary>The model cannot be used: not an ML.NET zip, not a multiclass classifier, or inputs it does not accept.</summary>
    InvalidModel = 4,

    /// <summary>An output file exists and <c>--force</c> was not given.</summary>
    OutputExists = 5,

    /// <summary>An output cannot be written: a read-only or missing folder that cannot be created, no permission, a full disk.</summary>
    OutputNotWritable = 6,

    /// <summary>Interrupted by Ctrl-C (the shell convention for SIGINT, 128 + 2).</summary>
    Cancelled = 130,
}
