using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace TabularRobustness;

/// <summary>
/// Reads and prepares the three data sets from the folder the user names. Provenance (also in the README): taxi fares and
/// bike sharing as dotnet/machinelearning-samples ship them (MIT), breast cancer as scikit-learn ships it (BSD-3-Clause).
/// </summary>
public static class DataSets
{
    /// <summary>Where the taxi files come from.</summary>
    public const string TaxiProvenance =
        "Get taxi-fare-train.csv and taxi-fare-test.csv from github.com/dotnet/machinelearning-samples, folder datasets/ (NYC TLC trip records).";

    /// <summary>Where the bike-sharing files come from.</summary>
    public const string BikeProvenance =
        "Get hour_train.csv and hour_test.csv from github.com/dotnet/machinelearning-samples, " +
        "samples/csharp/getting-started/Regression_BikeSharingDemand/BikeSharingDemand/Data/, and save them as bike-sharing-hour-train.csv and " +
        "bike-sharing-hour-test.csv (UCI Bike Sharing, Fanaee-T and Gama 2013, CC BY 4.0).";

    /// <summary>Where the breast-cancer file comes from.</summary>
    public const string BreastCancerProvenance =
        "Write scikit-learn's load_breast_cancer() to breast-cancer.csv with a header, the 30 features, then a column 'malignant' = 1 - target " +
        "(UCI Breast Cancer Wisconsin (Diagnostic)).";

    /// <summary>
    /// NYC taxi fares as ML.NET's TaxiFarePrediction sample prepares them: rows with a fare in [1, 150] (train and test),
    /// one-hot vendor_id, rate_code and payment_type, and trip time, trip distance and passenger count standardized
    /// with the training rows' mean and standard deviation.
    /// </summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="folder">The data folder.</param>
    /// <param name="maxRows">Read at most this many rows of each file (kept rows), or null for all.</param>
    /// <param name="typicalTrip">The training rows' typical trip (most common categories, median time), for response curves.</param>
    public static TabularDataSet TaxiFares(MLContext mlContext, string folder, int? maxRows, out TaxiTrip typicalTrip)
    {
        TaxiTrip[] train = TaxiTrips(CsvTable.Read(folder, "taxi-fare-train.csv", TaxiProvenance), maxRows);
        typicalTrip = TaxiResponseCurve.TypicalTrip(train);
        TaxiTrip[] test = TaxiTrips(CsvTable.Read(folder, "taxi-fare-test.csv", TaxiProvenance), maxRows);
        IEstimator<ITransformer> featurizer = TaxiFeaturizer(mlContext);
        return TabularDataSet.Prepare(mlContext, "Taxi fares", mlContext.Data.LoadFromEnumerable(train), mlContext.Data.LoadFromEnumerable(test),
            featurizer, "fares in [1, 150] (train and test); one-hot vendor_id, rate_code, payment_type; trip time, distance, passenger count standardized");
    }

    /// <summary>
    /// Hourly bike rentals (<c>cnt</c>): <c>casual</c> and <c>registered</c> dropped (they add up to the label), and
    /// <c>instant</c> and <c>dteday</c> (row number and date); the other 12 columns standardized with the training rows'
    /// mean and standard deviation.
    /// </summary>
    public static TabularDataSet BikeSharing(MLContext mlContext, string folder, int? maxRows)
    {
        string[] columns = ["season", "yr", "mnth", "hr", "holiday", "weekday", "workingday", "weathersit", "temp", "atemp", "hum", "windspeed"];
        NumericRow[] train = NumericRows(CsvTable.Read(folder, "bike-sharing-hour-train.csv", BikeProvenance), columns, "cnt", maxRows);
        NumericRow[] test = NumericRows(CsvTable.Read(folder, "bike-sharing-hour-test.csv", BikeProvenance), columns, "cnt", maxRows);
        return TabularDataSet.Prepare(mlContext, "Bike sharing", NumericView(mlContext, train, columns), NumericView(mlContext, test, columns),
            mlContext.Transforms.NormalizeMeanVariance(TabularDataSet.Features, fixZero: false),
            "label cnt; casual, registered (their sum is the label), instant and dteday dropped; the 12 other columns standardized");
    }

    /// <summary>
    /// Breast cancer (Wisconsin diagnostic): 569 rows, 30 features standardized with the training rows' mean and standard
    /// deviation, label <c>malignant</c>; split 70/30 by ML.NET's <c>TrainTestSplit</c> with <paramref name="seed"/>.
    /// </summary>
    public static TabularDataSet BreastCancer(MLContext mlContext, string folder, int seed)
    {
        CsvTable table = CsvTable.Read(folder, "breast-cancer.csv", BreastCancerProvenance);
        string[] columns = table.Header.Where(h => h != "malignant").ToArray();
        NumericRow[] rows = NumericRows(table, columns, "malignant", null);
        int label = table.Column("malignant");
        for (int i = 0; i < rows.Length; i++)
        {
            float value = table.Number(i, label);
            if (value is not (0 or 1)) throw new InvalidDataException($"'{table.Path}' data row {i + 1}, column 'malignant': {value} is neither 0 nor 1.");
        }

        IDataView all = mlContext.Data.LoadFromEnumerable(rows.Select(r => new BinaryRow { Features = r.Features, Label = r.Label == 1 }),
            SchemaWithSlotNames<BinaryRow>(columns));
        var split = mlContext.Data.TrainTestSplit(all, testFraction: 0.3, seed: seed);
        return TabularDataSet.Prepare(mlContext, "Breast cancer", split.TrainSet, split.TestSet,
            mlContext.Transforms.NormalizeMeanVariance(TabularDataSet.Features, fixZero: false),
            $"70/30 split (TrainTestSplit, seed {seed}); the 30 features standardized with the training rows");
    }

    /// <summary>
    /// The taxi featurizer: <c>Label</c> from the fare; one-hot vendor_id, rate_code and payment_type (categories in order
    /// of first appearance); trip time, distance and passenger count standardized with the fitted rows' mean and
    /// standard deviation; <c>Features</c> = those three, then the one-hot slots. Fit it on the training rows only.
    /// </summary>
    /// <param name="mlContext">The context.</param>
    public static IEstimator<ITransformer> TaxiFeaturizer(MLContext mlContext) =>
        mlContext.Transforms.CopyColumns(TabularDataSet.Label, nameof(TaxiTrip.FareAmount))
            .Append(mlContext.Transforms.Categorical.OneHotEncoding([
                new InputOutputColumnPair("VendorIdEncoded", nameof(TaxiTrip.VendorId)),
                new InputOutputColumnPair("RateCodeEncoded", nameof(TaxiTrip.RateCode)),
                new InputOutputColumnPair("PaymentTypeEncoded", nameof(TaxiTrip.PaymentType))]))
            .Append(mlContext.Transforms.NormalizeMeanVariance([
                new InputOutputColumnPair("TripTime", nameof(TaxiTrip.TripTime)),
                new InputOutputColumnPair("TripDistance", nameof(TaxiTrip.TripDistance)),
                new InputOutputColumnPair("PassengerCount", nameof(TaxiTrip.PassengerCount))], fixZero: false))
            .Append(mlContext.Transforms.Concatenate(TabularDataSet.Features,
                "TripTime", "TripDistance", "PassengerCount", "VendorIdEncoded", "RateCodeEncoded", "PaymentTypeEncoded"));

    /// <summary>The trips of a taxi file (header <c>vendor_id,rate_code,passenger_count,trip_time_in_secs,trip_distance,payment_type,fare_amount</c>)
    /// that ML.NET's sample keeps: fares in [1, 150].</summary>
    /// <param name="table">The file, read.</param>
    /// <param name="maxRows">At most this many kept rows, or null for all.</param>
    /// <exception cref="InvalidDataException">A column is missing or a number does not parse (file, row and column named).</exception>
    public static TaxiTrip[] TaxiTrips(CsvTable table, int? maxRows)
    {
        int vendor = table.Column("vendor_id"), rate = table.Column("rate_code"), passengers = table.Column("passenger_count");
        int time = table.Column("trip_time_in_secs"), distance = table.Column("trip_distance"), payment = table.Column("payment_type");
        int fare = table.Column("fare_amount");
        var trips = new List<TaxiTrip>();
        for (int i = 0; i < table.Count && trips.Count < (maxRows ?? int.MaxValue); i++)
        {
            float amount = table.Number(i, fare);
            if (amount < 1 || amount > 150) continue;   // ML.NET's sample drops these (fare outliers and refunds).
            trips.Add(new TaxiTrip
            {
                VendorId = table.Text(i, vendor), RateCode = table.Number(i, rate), PassengerCount = table.Number(i, passengers),
                TripTime = table.Number(i, time), TripDistance = table.Number(i, distance), PaymentType = table.Text(i, payment), FareAmount = amount,
            });
        }

        return [.. trips];
    }

    private static NumericRow[] NumericRows(CsvTable table, string[] columns, string label, int? maxRows)
    {
        int[] indices = columns.Select(table.Column).ToArray();
        int labelIndex = table.Column(label);
        int count = Math.Min(table.Count, maxRows ?? int.MaxValue);
        var rows = new NumericRow[count];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new NumericRow { Features = indices.Select(c => table.Number(i, c)).ToArray(), Label = table.Number(i, labelIndex) };
        }

        return rows;
    }

    private static IDataView NumericView(MLContext mlContext, NumericRow[] rows, string[] columns) =>
        mlContext.Data.LoadFromEnumerable(rows, SchemaWithSlotNames<NumericRow>(columns));

    /// <summary>The schema of <typeparamref name="TRow"/> with the feature vector's size and slot names set.</summary>
    private static SchemaDefinition SchemaWithSlotNames<TRow>(string[] columns)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(TRow));
        schema[TabularDataSet.Features].ColumnType = new VectorDataViewType(NumberDataViewType.Single, columns.Length);
        var names = new VBuffer<ReadOnlyMemory<char>>(columns.Length, columns.Select(c => c.AsMemory()).ToArray());
        schema[TabularDataSet.Features].AddAnnotation("SlotNames", names,
            new VectorDataViewType(TextDataViewType.Instance, columns.Length));
        return schema;
    }
}

/// <summary>A taxi trip, as the CSV holds it.</summary>
public sealed class TaxiTrip
{
    /// <summary>vendor_id (CMT, VTS).</summary>
    public string VendorId { get; set; } = "";

    /// <summary>rate_code, a category (1 standard, 2 JFK, ...).</summary>
    public float RateCode { get; set; }

    /// <summary>passenger_count.</summary>
    public float PassengerCount { get; set; }

    /// <summary>trip_time_in_secs.</summary>
    public float TripTime { get; set; }

    /// <summary>trip_distance, in miles.</summary>
    public float TripDistance { get; set; }

    /// <summary>payment_type (CRD, CSH, ...).</summary>
    public string PaymentType { get; set; } = "";

    /// <summary>fare_amount, in dollars: the label.</summary>
    public float FareAmount { get; set; }
}

/// <summary>A row of numeric features and a numeric label.</summary>
public sealed class NumericRow
{
    /// <summary>The features, in the order of the column list.</summary>
    public float[] Features { get; set; } = [];

    /// <summary>The label.</summary>
    public float Label { get; set; }
}

/// <summary>A row of numeric features and a Boolean label.</summary>
public sealed class BinaryRow
{
    /// <summary>The features, in the order of the column list.</summary>
    public float[] Features { get; set; } = [];

    /// <summary>The label (true = malignant).</summary>
    public bool Label { get; set; }
}
