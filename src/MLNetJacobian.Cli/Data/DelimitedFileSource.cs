using System.IO.Compression;
using System.Text;
using Microsoft.ML.Data;

namespace MLNetJacobian.Cli.Data;

/// <summary>
/// CSV/TSV files as ML.NET's TextLoader and the scanner read them: plain, or gzip-compressed (told by the file's first
/// two bytes, 1f 8b, whatever its name), decompressed as they are read.
/// </summary>
internal sealed class DelimitedFileSource(params string[] paths) : IMultiStreamSource
{
    /// <inheritdoc />
    public int Count => paths.Length;

    /// <summary>Whether <paramref name="path"/> starts with the gzip magic bytes.</summary>
    public static bool IsGzip(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return stream.ReadByte() == 0x1f && stream.ReadByte() == 0x8b;
    }

    /// <summary>The file's name without a trailing <c>.gz</c> (for the separator told by the extension).</summary>
    public static string WithoutGzipExtension(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;

    /// <summary>Opens the file's text (UTF-8, byte-order mark honoured), decompressing gzip.</summary>
    public static StreamReader OpenText(string path) => new(OpenStream(path), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

    /// <inheritdoc />
    public string? GetPathOrNull(int index) => paths[index];

    /// <inheritdoc />
    public Stream Open(int index) => OpenStream(paths[index]);

    /// <inheritdoc />
    public TextReader OpenTextReader(int index) => OpenText(paths[index]);

    private static Stream OpenStream(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            bool gzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
            file.Position = 0;
            return gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
