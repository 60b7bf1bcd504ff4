using System.IO.Compression;

namespace MLNetJacobian.IO;

/// <summary>
/// Checks every entry of a zip archive against the CRC-32 its directory records, so that a damaged model file is
/// refused before anything in it is used (ML.NET reads entries without checking them).
/// </summary>
internal static class ZipIntegrity
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Reads every entry of <paramref name="zip"/> to its end and compares its CRC-32 with the recorded one.</summary>
    /// <param name="zip">The archive, opened for reading.</param>
    /// <param name="displayName">The file's name, for messages.</param>
    /// <exception cref="InvalidDataException">An entry cannot be decompressed, or its CRC-32 does not match.</exception>
    public static void Verify(ZipArchive zip, string displayName)
    {
        byte[] buffer = new byte[81920];
        foreach (ZipArchiveEntry entry in zip.Entries)
        {
            uint crc = 0xFFFFFFFFu;
            long length = 0;
            try
            {
                using Stream stream = entry.Open();
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    crc = Update(crc, buffer.AsSpan(0, read));
                    length += read;
                }
            }
            catch (InvalidDataException exception)
            {
                throw new InvalidDataException($"'{displayName}' is damaged: its entry '{entry.FullName}' cannot be read ({exception.Message}).", exception);
            }

            crc ^= 0xFFFFFFFFu;
            if (crc != entry.Crc32 || length != entry.Length)
            {
                throw new InvalidDataException(
                    $"'{displayName}' is damaged: its entry '{entry.FullName}' has CRC-32 {crc:x8} and {length} bytes, but the archive records " +
                    $"{entry.Crc32:x8} and {entry.Length} bytes.");
            }
        }
    }

    /// <summary>The CRC-32 (IEEE 802.3, as zip uses) of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Update(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }
}
