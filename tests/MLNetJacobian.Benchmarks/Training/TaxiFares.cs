using Microsoft.ML;
using Microsoft.ML.Data;
using TabularRobustness;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The taxi-fare training set for the one-output throughput table, prepared by the TabularRobustness example (one place
/// for the preparation: its <see cref="DataSets.TaxiTrips"/> and <see cref="DataSets.TaxiFeaturizer"/>, as ML.NET's
/// sample does it): rows with a fare in [1, 150]; trip time, distance and passenger count standardised, then the one-hot
/// vendor_id, rate_code and payment_type slots; the fare standardised here as the regression trainer does by default.
/// </summary>
public static class TaxiFares
{
    /// <summary>The shared copy's training file.</summary>
    public static string DefaultFile => Path.Combine(MnistFiles.LocateFolder("tabular"), "taxi-fare-train.csv.gz");

    /// <summary>Reads and prepares the file (plain CSV or gzip).</summary>
    /// <param name="path">The CSV with the header <c>vendor_id,rate_code,passenger_count,trip_time_in_secs,trip_distance,payment_type,fare_amount</c>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line with the wrong number of fields, a missing column or a number that does not parse (file, line or row, and column named).</exception>
    public static BenchmarkRows Read(string path)
    {
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"'{fullPath}' does not exist. {DataSets.TaxiProvenance}", fullPath);
        TaxiTrip[] trips = DataSets.TaxiTrips(CsvTable.Read(Path.GetDirectoryName(fullPath)!, Path.GetFileName(fullPath), DataSets.TaxiProvenance), null);
        var mlContext = new MLContext(seed: 1);
        IDataView raw = mlContext.Data.LoadFromEnumerable(trips);
        IDataView prepared = DataSets.TaxiFeaturizer(mlContext).Fit(raw).Transform(raw);
        int featureCount = ((VectorDataViewType)prepared.Schema[TabularDataSet.Features].Type).Size;
        var features = new float[trips.Length * featureCount];
        var fares = new double[trips.Length];
        using (DataViewRowCursor cursor = prepared.GetRowCursor(prepared.Schema))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(prepared.Schema[TabularDataSet.Features]);
            var getLabel = cursor.GetGetter<float>(prepared.Schema[TabularDataSet.Label]);
            VBuffer<float> row = default;
            float label = 0;
            for (int r = 0; cursor.MoveNext(); r++)
            {
                getFeatures(ref row);
                getLabel(ref label);
                row.CopyTo(features.AsSpan(r * featureCount, featureCount));
                fares[r] = label;
            }
        }

        double mean = fares.Average();
        double variance = fares.Sum(fare => (fare - mean) * (fare - mean)) / Math.Max(1, fares.Length - 1);
        double std = variance > 0 ? Math.Sqrt(variance) : 1;
        float[] targets = Array.ConvertAll(fares, fare => (float)((fare - mean) / std));
        return new BenchmarkRows("taxi fares", features, targets, featureCount, 1);
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
