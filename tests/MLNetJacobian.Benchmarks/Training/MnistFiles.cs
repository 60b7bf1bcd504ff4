using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// A small reader of the MNIST IDX files (plain or .gz) for the benchmarks, checksum-verified against the MD5 of the
/// decompressed files stated in the shared data README. Used until the library's own loader lands on main.
/// </summary>
/// <remarks>
/// IDX layout: big-endian int32 magic (<c>0x00000803</c> images, <c>0x00000801</c> labels), then one big-endian
/// int32 per dimension, then the unsigned bytes row-major.
/// </remarks>
public static class MnistFiles
{
    /// <summary>The folder of the shared copy, used when no folder is given.</summary>
    public const string DefaultFolder = "/work/shared/data/mnist";

    private static readonly Dictionary<string, string> Checksums = new()
    {
        ["train-images-idx3-ubyte"] = "6bbc9ace898e44ae57da46a324031adb",
        ["train-labels-idx1-ubyte"] = "a25bea736e30d166cdddb491f175f624",
        ["t10k-images-idx3-ubyte"] = "2646ac647ad5339dbf082846283269ea",
        ["t10k-labels-idx1-ubyte"] = "27ae3e4e09519cfbb04c329615203637",
    };

    /// <summary>Reads the 60,000 training images.</summary>
    /// <param name="folder">The folder holding the IDX files.</param>
    public static MnistSplit ReadTraining(string folder) => ReadSplit(folder, "train");

    /// <summary>Reads the 10,000 test images.</summary>
    /// <param name="folder">The folder holding the IDX files.</param>
    public static MnistSplit ReadTest(string folder) => ReadSplit(folder, "t10k");

    private static MnistSplit ReadSplit(string folder, string prefix)
    {
        byte[] images = ReadVerified(folder, $"{prefix}-images-idx3-ubyte");
        byte[] labels = ReadVerified(folder, $"{prefix}-labels-idx1-ubyte");
        int[] imageShape = ParseHeader(images, 0x00000803, 3, out int imageOffset);
        int[] labelShape = ParseHeader(labels, 0x00000801, 1, out int labelOffset);
        int count = imageShape[0];
        if (labelShape[0] != count || imageShape[1] * imageShape[2] != MnistSplit.FeatureCount)
        {
            throw new InvalidDataException($"MNIST {prefix}: {count} images of {imageShape[1]}x{imageShape[2]} but {labelShape[0]} labels.");
        }

        var features = new float[count * MnistSplit.FeatureCount];   // [N, 784]
        for (int index = 0; index < features.Length; index++)
        {
            features[index] = (images[imageOffset + index] / 255f - MnistSplit.StandardMean) / MnistSplit.StandardDeviation;
        }

        var labelValues = new int[count];   // [N]
        for (int row = 0; row < count; row++) labelValues[row] = labels[labelOffset + row];
        return new MnistSplit(features, labelValues);
    }

    private static byte[] ReadVerified(string folder, string stem)
    {
        string plain = Path.Combine(folder, stem), compressed = plain + ".gz";
        byte[] bytes;
        if (File.Exists(plain))
        {
            bytes = File.ReadAllBytes(plain);
        }
        else if (File.Exists(compressed))
        {
            using var input = new GZipStream(File.OpenRead(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            bytes = output.ToArray();
        }
        else
        {
            throw new FileNotFoundException($"MNIST file '{stem}' (plain or .gz) not found in '{folder}'.", plain);
        }

        string actual = Convert.ToHexStringLower(MD5.HashData(bytes));
        if (actual != Checksums[stem])
        {
            throw new InvalidDataException($"MNIST file '{stem}' in '{folder}' has MD5 {actual}; expected {Checksums[stem]}.");
        }

        return bytes;
    }

    private static int[] ParseHeader(byte[] bytes, int magic, int dimensions, out int dataOffset)
    {
        int actual = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (actual != magic) throw new InvalidDataException($"IDX magic 0x{actual:x8}; expected 0x{magic:x8}.");
        var shape = new int[dimensions];
        for (int d = 0; d < dimensions; d++) shape[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
        dataOffset = 4 + 4 * dimensions;
        return shape;
    }
}
