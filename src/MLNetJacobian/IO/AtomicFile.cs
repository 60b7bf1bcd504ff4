namespace MLNetJacobian.IO;

/// <summary>
/// Writes a file all at once: into a temporary file beside it, then renamed onto the target, so a reader never sees a
/// half-written file and a failed write leaves nothing behind (an existing file stays as it was).
/// </summary>
/// <remarks>
/// The library's one rule for existing files: every public writer (<c>SaveJson</c>, <c>Save</c>, <c>SavePlot</c>,
/// <c>SavePng</c>, <c>SaveFigures</c>) replaces an existing file by default, as <c>mlContext.Model.Save</c> does, and
/// refuses it when called with <c>overwrite: false</c>. The tool refuses existing files unless given <c>--force</c>.
/// </remarks>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>; refuses to replace an existing file unless asked.</summary>
    public static void WriteAllBytes(string path, ReadOnlyMemory<byte> content, bool overwrite) =>
        Write(path, overwrite, stream => stream.Write(content.Span));

    /// <summary>
    /// Writes what <paramref name="write"/> puts into the stream to <paramref name="path"/>, creating its folder when
    /// needed; refuses to replace an existing file unless <paramref name="overwrite"/> is true.
    /// </summary>
    public static void Write(string path, bool overwrite, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        if (!overwrite && File.Exists(fullPath)) throw AlreadyExists(fullPath);

        string directory = Path.GetDirectoryName(fullPath) ?? ".";
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite);
        }
        catch (IOException) when (!overwrite && File.Exists(fullPath))
        {
            // Another writer created the file between the check and the rename.
            throw AlreadyExists(fullPath);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static IOException AlreadyExists(string fullPath) =>
        new($"'{fullPath}' already exists; pass overwrite: true to replace it.");
}
