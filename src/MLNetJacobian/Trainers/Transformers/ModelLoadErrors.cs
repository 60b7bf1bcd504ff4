using System.Reflection;

namespace MLNetJacobian.Trainers;

/// <summary>
/// Turns the wrappers ML.NET puts around a load failure ("Error during class instantiation", "Exception has been thrown
/// by the target of an invocation") into one error that names the file and says the cause.
/// </summary>
internal static class ModelLoadErrors
{
    /// <summary>Runs <paramref name="load"/>; a failure becomes an <see cref="InvalidDataException"/> naming <paramref name="path"/> and the innermost cause.</summary>
    /// <exception cref="InvalidDataException">The model could not be loaded; the inner exception is the original one.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist (not wrapped).</exception>
    public static T Unwrap<T>(string path, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception exception) when (exception is not (OutOfMemoryException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException))
        {
            Exception cause = CauseOf(exception);
            if (ReferenceEquals(cause, exception) && exception is InvalidDataException) throw;
            throw new InvalidDataException($"The model '{path}' could not be loaded: {cause.Message}", exception);
        }
    }

    /// <summary>The innermost exception below invocation and instantiation wrappers.</summary>
    public static Exception CauseOf(Exception exception)
    {
        Exception current = exception;
        while (current.InnerException is { } inner && (current is TargetInvocationException || current is TypeInitializationException || IsWrapperMessage(current.Message)))
        {
            current = inner;
        }

        return current;
    }

    private static bool IsWrapperMessage(string message) =>
        message.StartsWith("Error during class instantiation", StringComparison.Ordinal) ||
        message.StartsWith("Exception has been thrown by the target of an invocation", StringComparison.Ordinal);
}
