using System.Globalization;
using System.IO.Compression;

namespace MLNetJacobian.Data;

/// <summary>
/// The embedded default data set: 1,797 handwritten digits, 8 x 8 pixels with values 0..16, classes 0-9.
/// </summary>
/// <remarks>
/// The test set of the UCI "Optical Recognition of Handwritten Digits" data set (E. Alpaydin and C. Kaynak, 1998),
/// as shipped by scikit-learn under the BSD-3-Clause licence (file <c>sklearn/datasets/data/digits.csv.gz</c>).
/// See <c>src/MLNetJacobian/Data/DIGITS-LICENSE.txt</c>. Embedded so that the library runs with no download.
/// </remarks>
public static class DigitsDataset
{
    /// <summary>Image width and height in pixels.</summary>
    public const int ImageSize = 8;

    /// <summary>Number of features per row (64).</summary>
    public const int FeatureCount = ImageSize * ImageSize;

    /// <summary>Largest pixel value (16); divide by it to scale the pixels to [0, 1].</summary>
    public const float MaxPixelValue = 16f;

    private const string ResourceName = "MLNetJacobian.Data.digits.csv.gz";

    /// <summary>Loads the embedded digits. Pixels stay in 0..16 unless <paramref name="scaleToUnitInterval"/> is set.</summary>
    /// <param name="scaleToUnitInterval">Divide every pixel by 16 so that features lie in [0, 1].</param>
    public static LabeledDataset Load(bool scaleToUnitInterval = false)
    {
        using Stream resource = typeof(DigitsDataset).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing from {typeof(DigitsDataset).Assembly.GetName().Name}.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var features = new List<float>(1797 * FeatureCount);
        var labels = new List<int>(1797);
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            string[] fields = line.Split(',');
            if (fields.Length != FeatureCount + 1)
            {
                throw new InvalidDataException($"{ResourceName}, line {lineNumber}: expected {FeatureCount + 1} fields, found {fields.Length}.");
            }

            for (int j = 0; j < FeatureCount; j++)
            {
                float value = float.Parse(fields[j], NumberStyles.Float, CultureInfo.InvariantCulture);
                features.Add(scaleToUnitInterval ? value / MaxPixelValue : value);
            }

            labels.Add((int)float.Parse(fields[FeatureCount], NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        string[] classNames = Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new LabeledDataset(features.ToArray(), labels.ToArray(), FeatureCount, classNames);
    }
}
