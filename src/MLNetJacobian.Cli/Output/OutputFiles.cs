namespace MLNetJacobian.Cli.Output;

/// <summary>
/// Output-file safety: an existing file is never replaced without <c>--force</c>, and every file is written to a
/// temporary file in the same folder and then renamed over the destination, so a reader never sees half a file.
/// </summary>
internal static class OutputFiles
{
    /// <summary>
    /// Checks, before any long work starts, that <paramref name="path"/> can be written: it does not exist (or
    /// <paramref name="force"/> is set) and its folder exists or can be created (no file stands where a folder on its
    /// path would be). Creates nothing: a command that fails later leaves no empty folder behind.
    /// </summary>
    /// <param name="path">The destination file.</param>
    /// <param name="force">Whether an existing file may be replaced.</param>
    /// <param name="optionName">The command-line option that named the file, for the error message.</param>
    public static void EnsureCanWrite(string path, bool force, string optionName)
    {
        if (string.IsNullOrWhiteSpace(path)) throw CliException.InvalidArgument($"{optionName} is empty; give a file path.");
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw CliException.InvalidArgument($"{optionName} '{path}' is a folder; give a file path.");
        if (File.Exists(full) && !force)
        {
            throw new CliException(ExitCode.OutputExists, $"{optionName} '{path}' exists; pass --force to overwrite it.");
        }

        string folder = Path.GetDirectoryName(full)!;
        string? existing = folder;
        for (; existing is not null && !Directory.Exists(existing); existing = Path.GetDirectoryName(existing))
        {
            if (File.Exists(existing))
            {
                throw CliException.InvalidArgument($"{optionName} '{path}': cannot create the folder '{folder}': '{existing}' is a file.");
            }
        }

        if (existing is not null) EnsureWritableFolder(existing, path, optionName);
    }

    /// <summary>
    /// Creates and deletes a probe file in <paramref name="folder"/> (the output's folder, or its nearest existing
    /// ancestor, where the missing folders would be created), so that a read-only folder fails before any work.
    /// </summary>
    private static void EnsureWritableFolder(string folder, string path, string optionName)
    {
        string probe = Path.Combine(folder, $".mlnet-jacobian-probe-{Guid.NewGuid():N}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(path, optionName, $"the folder '{folder}' is not writable ({exception.Message})", exception);
        }
    }

    /// <summary>The error for an output that cannot be written: exit code <see cref="ExitCode.OutputNotWritable"/>, one line.</summary>
    private static CliException NotWritable(string path, string optionName, string reason, Exception cause) =>
        new(ExitCode.OutputNotWritable, $"{optionName} '{path}' cannot be written: {Modeling.Guard.OneLine(reason)}", cause);

    /// <summary>Creates the folder of <paramref name="path"/> when missing.</summary>
    private static void CreateFolder(string path, string optionName)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(path, optionName, $"cannot create the folder '{folder}': {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/> into a temporary file beside it, then renames the
    /// temporary file onto <paramref name="path"/> (replacing it only when <paramref name="force"/> is set).
    /// </summary>
    /// <param name="path">The destination file.</param>
    /// <param name="force">Whether an existing file may be replaced.</param>
    /// <param name="optionName">The command-line option that named the file, for the error message.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    public static void WriteAtomically(string path, bool force, string optionName, Action<Stream> write)
    {
        EnsureCanWrite(path, force, optionName);
        CreateFolder(path, optionName);
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: force);
        }
        catch (IOException) when (!force && File.Exists(full))
        {
            throw new CliException(ExitCode.OutputExists, $"{optionName} '{path}' was created by someone else while this command ran; pass --force to overwrite it.");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(path, optionName, exception.Message, exception);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes text (UTF-8, no byte-order mark) atomically; see <see cref="WriteAtomically"/>.</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="force">Whether an existing file may be replaced.</param>
    /// <param name="optionName">The command-line option that named the file.</param>
    /// <param name="text">The content.</param>
    public static void WriteText(string path, bool force, string optionName, string text) =>
        WriteAtomically(path, force, optionName, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>Writes bytes atomically; see <see cref="WriteAtomically"/>.</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="force">Whether an existing file may be replaced.</param>
    /// <param name="optionName">The command-line option that named the file.</param>
    /// <param name="content">The content.</param>
    public static void WriteBytes(string path, bool force, string optionName, byte[] content) =>
        WriteAtomically(path, force, optionName, stream => stream.Write(content));
}
