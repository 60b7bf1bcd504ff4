using System.Buffers.Binary;
using System.IO.Compression;

namespace MLNetJacobian.Benchmarks.Robustness;

/// <summary>Reads MNIST IDX files (plain or .gz) into pixels scaled to [0, 1] and labels.</summary>
internal static class MnistFiles
{
    /// <summary>The shared data folder's mnist directory (MLNETJACOBIAN_SHARED_DATA, or ../shared/data above the solution).</summary>
    public static string LocateDirectory()
    {
        string? shared = Environment.GetEnvironmentVariable("MLNETJACOBIAN_SHARED_DATA");
        if (!string.IsNullOrEmpty(shared)) return Path.Combine(shared, "mnist");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLNetJacobian.sln"))) return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "mnist"));
        }

        throw new DirectoryNotFoundException("MNIST not found: set MLNETJACOBIAN_SHARED_DATA to the shared data folder.");
    }

    public static (float[] Images, int[] Labels) Load(string directory, string imagesStem, string labelsStem)
    {
        byte[] images = Read(directory, imagesStem);
        byte[] labels = Read(directory, labelsStem);
        int count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        int pixels = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8)) * BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        var x = new float[count * pixels];
        for (int k = 0; k < x.Length; k++) x[k] = images[16 + k] / 255f;
        var y = new int[count];
        for (int i = 0; i < count; i++) y[i] = labels[8 + i];
        return (x, y);
    }

    private static byte[] Read(string directory, string stem)
    {
        string plain = Path.Combine(directory, stem);
        if (File.Exists(plain)) return File.ReadAllBytes(plain);
        using var gzip = new GZipStream(File.OpenRead(plain + ".gz"), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
