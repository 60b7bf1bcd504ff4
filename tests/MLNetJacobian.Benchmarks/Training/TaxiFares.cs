using System.Globalization;
using System.IO.Compression;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The taxi-fare training set as ML.NET's sample prepares it, for the one-output throughput table: rows with a fare
/// in [1, 150]; <c>vendor_id</c>, <c>rate_code</c> and <c>payment_type</c> one-hot encoded (categories in order of
/// first appearance); <c>passenger_count</c>, <c>trip_time_in_secs</c> and <c>trip_distance</c> standardised with
/// the set's mean and standard deviation; the fare standardised as the regression trainer does by default.
/// </summary>
public static class TaxiFares
{
    private const int FareColumn = 6;
    private static readonly int[] CategoricalColumns = [0, 1, 5];
    private static readonly int[] NumericColumns = [2, 3, 4];

    /// <summary>The shared copy's training file.</summary>
    public static string DefaultFile => Path.Combine(MnistFiles.LocateFolder("tabular"), "taxi-fare-train.csv.gz");

    /// <summary>Reads and prepares the file (plain CSV or gzip).</summary>
    /// <param name="path">The CSV with the header <c>vendor_id,rate_code,passenger_count,trip_time_in_secs,trip_distance,payment_type,fare_amount</c>.</param>
    /// <exception cref="InvalidDataException">A line without 7 fields or with a numeric field that does not parse (file and line named).</exception>
    public static BenchmarkRows Read(string path)
    {
        var rows = new List<string[]>();
        var fares = new List<double>();
        var numeric = NumericColumns.Select(_ => new List<double>()).ToArray();
        using (Stream file = File.OpenRead(path))
        using (var reader = new StreamReader(path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file))
        {
            reader.ReadLine();   // the header
            int lineNumber = 1;
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                string[] fields = line.Split(',');
                if (fields.Length != 7) throw new InvalidDataException($"{path}, line {lineNumber}: {fields.Length} fields, expected 7.");
                double fare = Number(fields[FareColumn], path, lineNumber);
                double[] values = Array.ConvertAll(NumericColumns, column => Number(fields[column], path, lineNumber));
                if (fare < 1 || fare > 150) continue;
                rows.Add(fields);
                fares.Add(fare);
                for (int c = 0; c < values.Length; c++) numeric[c].Add(values[c]);
            }
        }

        var categories = CategoricalColumns.Select(column => rows.Select(fields => fields[column]).Distinct().ToArray()).ToArray();
        int featureCount = NumericColumns.Length + categories.Sum(values => values.Length);
        var features = new float[rows.Count * featureCount];
        var targets = new float[rows.Count];
        var lookups = categories.Select(values => values.Select((value, index) => (value, index)).ToDictionary(pair => pair.value, pair => pair.index)).ToArray();
        (double fareMean, double fareStd) = MeanAndStd(fares);
        var stats = numeric.Select(column => MeanAndStd(column)).ToArray();
        for (int r = 0; r < rows.Count; r++)
        {
            Span<float> row = features.AsSpan(r * featureCount, featureCount);
            for (int c = 0; c < NumericColumns.Length; c++) row[c] = (float)((numeric[c][r] - stats[c].Mean) / stats[c].Std);
            int offset = NumericColumns.Length;
            for (int k = 0; k < CategoricalColumns.Length; k++)
            {
                row[offset + lookups[k][rows[r][CategoricalColumns[k]]]] = 1;
                offset += categories[k].Length;
            }

            targets[r] = (float)((fares[r] - fareMean) / fareStd);
        }

        return new BenchmarkRows("taxi fares", features, targets, featureCount, 1);
    }

    private static double Number(string field, string path, int lineNumber) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new InvalidDataException($"{path}, line {lineNumber}: '{field}' is not a number.");

    private static (double Mean, double Std) MeanAndStd(List<double> values)
    {
        double mean = values.Average();
        double variance = values.Sum(value => (value - mean) * (value - mean)) / Math.Max(1, values.Count - 1);
        return (mean, variance > 0 ? Math.Sqrt(variance) : 1);
    }

    /// <summary>
    /// Writes the prepared rows for the PyTorch peer: int32 N, int32 D, then N x D float32 features and N float32
    /// targets, little-endian.
    /// </summary>
    /// <param name="rows">The rows.</param>
    /// <param name="path">The file to write.</param>
    public static void WriteForPeer(BenchmarkRows rows, string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(rows.Count);
        writer.Write(rows.FeatureCount);
        foreach (float value in rows.Features) writer.Write(value);
        foreach (float value in rows.Targets) writer.Write(value);
    }
}
