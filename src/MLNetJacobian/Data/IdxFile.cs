using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace MLNetJacobian.Data;

/// <summary>
/// Reads IDX files of unsigned bytes (the MNIST format), plain or gzipped, checking the header against the data.
/// </summary>
/// <remarks>
/// Layout (big-endian): bytes 0-1 zero, byte 2 the element type (0x08 = unsigned byte), byte 3 the number of
/// dimensions <c>n</c>, then <c>n</c> 4-byte sizes, then the elements row-major. Magic numbers: 0x00000801 for
/// labels (one dimension), 0x00000803 for images (three dimensions).
/// </remarks>
internal static class IdxFile
{
    /// <summary>The decompressed bytes of a file; <c>.gz</c> files are gunzipped.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return File.ReadAllBytes(path);
        using FileStream file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        try
        {
            gzip.CopyTo(buffer);
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"{path}: not a valid gzip file ({error.Message}).", error);
        }

        return buffer.ToArray();
    }

    /// <summary>The lowercase hexadecimal MD5 of <paramref name="bytes"/>.</summary>
    public static string Md5(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    /// <summary>Checks the header and returns the dimension sizes and the offset of the first element.</summary>
    /// <param name="bytes">The decompressed file.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="expectedMagic">0x00000801 (labels) or 0x00000803 (images).</param>
    public static (int[] Dimensions, int DataOffset) ReadHeader(ReadOnlySpan<byte> bytes, string path, int expectedMagic)
    {
        if (bytes.Length < 4) throw new InvalidDataException($"{path}: the file has {bytes.Length} bytes, too few for an IDX header (offset 0).");
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != expectedMagic)
        {
            throw new InvalidDataException($"{path}: magic number 0x{magic:X8} at offset 0, expected 0x{expectedMagic:X8}.");
        }

        int dimensionCount = expectedMagic & 0xFF;
        int dataOffset = 4 + 4 * dimensionCount;
        if (bytes.Length < dataOffset)
        {
            throw new InvalidDataException($"{path}: the file ends at offset {bytes.Length}, inside the header that runs to offset {dataOffset}.");
        }

        var dimensions = new int[dimensionCount];
        long elements = 1;
        for (int d = 0; d < dimensionCount; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(bytes[(4 + 4 * d)..]);
            if (dimensions[d] < 1) throw new InvalidDataException($"{path}: dimension {d} is {dimensions[d]} at offset {4 + 4 * d}; it must be at least 1.");
            elements *= dimensions[d];
        }

        if (bytes.Length - dataOffset != elements)
        {
            throw new InvalidDataException(
                $"{path}: the header promises {elements} bytes of data from offset {dataOffset} ({string.Join(" x ", dimensions)}), but the data runs to offset {bytes.Length}.");
        }

        return (dimensions, dataOffset);
    }
}
