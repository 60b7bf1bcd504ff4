// Checks that files exist and parse: .json with System.Text.Json, .png by its signature and size, .zip as a zip
// archive, anything else by being non-empty. Usage: dotnet run .ci/check-outputs.cs -- FILE...
// Prints one line per file and exits 1 when any check fails.
using System.IO.Compression;
using System.Text.Json;

byte[] pngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
int failures = 0;
foreach (string path in args)
{
    string verdict;
    try
    {
        if (!File.Exists(path))
        {
            verdict = "MISSING";
        }
        else
        {
            switch (Path.GetExtension(path).ToLowerInvariant())
            {
                case ".json":
                    using (JsonDocument.Parse(File.ReadAllBytes(path))) { }
                    verdict = "json ok";
                    break;
                case ".png":
                    // Signature, then the IHDR chunk (width, height big-endian). A figure (100 x 100 pixels or more) under
                    // 1000 bytes is blank; a small picture (an 8 x 8 digit) is legitimately a few hundred bytes.
                    byte[] bytes = File.ReadAllBytes(path);
                    bool png = bytes.Length > 33 && bytes.AsSpan(0, 8).SequenceEqual(pngSignature) && bytes.AsSpan(12, 4).SequenceEqual("IHDR"u8);
                    int width = png ? System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)) : 0;
                    int height = png ? System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)) : 0;
                    bool figure = width >= 100 && height >= 100;
                    verdict = png && (!figure || bytes.Length > 1000) ? $"png ok ({width} x {height}, {bytes.Length / 1024} KB)" : "NOT A PNG";
                    break;
                case ".zip":
                    using (ZipArchive archive = ZipFile.OpenRead(path))
                    {
                        verdict = archive.Entries.Count > 0 ? $"zip ok ({archive.Entries.Count} entries)" : "EMPTY ZIP";
                    }

                    break;
                default:
                    verdict = new FileInfo(path).Length > 0 ? "non-empty" : "EMPTY";
                    break;
            }
        }
    }
    catch (Exception exception) when (exception is JsonException or InvalidDataException or IOException)
    {
        verdict = $"UNREADABLE ({exception.Message})";
    }

    bool ok = verdict.Contains("ok", StringComparison.Ordinal) || verdict == "non-empty";
    if (!ok) failures++;
    Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {path}: {verdict}");
}

return failures == 0 ? 0 : 1;
