using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Cli.Commands;
using MLNetJacobian.Data;

namespace MLNetJacobian.Cli.Data;

/// <summary>
/// Loads the data a command names: the embedded digits (no <c>--data</c>), a folder of IDX files, or a CSV/TSV file
/// through ML.NET's TextLoader. Every failure is a <see cref="CliException"/> naming the file and the line or offset.
/// </summary>
internal static class DatasetLoader
{
    /// <summary>Loads and splits the data.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="settings">The command's data options.</param>
    public static LoadedData Load(MLContext context, DataSettings settings)
    {
        LoadedData data;
        if (settings.DataPath is null)
        {
            data = LoadDigits(context, settings);
        }
        else if (Directory.Exists(settings.DataPath))
        {
            data = IdxFolderLoader.Load(context, settings);
        }
        else if (File.Exists(settings.DataPath))
        {
            data = LoadDelimited(context, settings);
        }
        else
        {
            throw CliException.InvalidData($"--data '{settings.DataPath}': no such file or folder.");
        }

        if (!(data.LowerBound < data.UpperBound))
        {
            string lower = settings.LowerBound is null ? "the default lower bound (the data's minimum, or 0 for images)" : "--lower-bound";
            string upper = settings.UpperBound is null ? "the default upper bound (the data's maximum, or 1 for images)" : "--upper-bound";
            throw CliException.InvalidArgument(string.Create(CultureInfo.InvariantCulture,
                $"the feature bounds are not ordered: {lower} is {data.LowerBound:G6} and {upper} is {data.UpperBound:G6}; give --lower-bound and --upper-bound with the lower below the upper."));
        }

        return Limit(context, data, settings.MaxRows);
    }

    private static LoadedData LoadDigits(MLContext context, DataSettings settings)
    {
        LabeledDataset all = DigitsDataset.Load(scaleToUnitInterval: true);
        (LabeledDataset train, LabeledDataset test) = all.Split(1 - settings.TestFraction, settings.SplitSeed);
        string description = string.Create(CultureInfo.InvariantCulture,
            $"embedded digits (8x8, pixels scaled to [0, 1]): {train.Count} training and {test.Count} test rows");
        return new LoadedData("embedded digits", description,
            LabeledDataViews.ToDataView(context, train), LabeledDataViews.ToDataView(context, test), LabeledDataViews.ToDataView(context, all),
            train.Count, test.Count, DigitsDataset.FeatureCount, all.ClassNames,
            settings.LowerBound ?? 0f, settings.UpperBound ?? 1f, new ImageShape(1, DigitsDataset.ImageSize, DigitsDataset.ImageSize))
        {
            SplitMade = true,
            FeatureMinimum = 0f,
            FeatureMaximum = 1f,
        };
    }

    private static LoadedData LoadDelimited(MLContext context, DataSettings settings)
    {
        string path = settings.DataPath!;
        bool skipNonFinite = settings is TrainerSettings { SkipNonFinite: true };
        DelimitedFileLayout layout = DelimitedFileScanner.Scan(path, settings.SeparatorFor(path), settings.Header, settings.LabelColumn, settings.FeatureColumns, skipNonFinite);
        ImageShape? image = ImageShapeFor(settings, layout.FeatureIndices.Length);
        IDataView all = FiniteRows(context, TextLoaderFor(context, layout, layout.LabelIsNumeric).Load(new DelimitedFileSource(path)), layout);
        if (settings.TestDataPath is null)
        {
            DataOperationsCatalog.TrainTestData split = context.Data.TrainTestSplit(all, settings.TestFraction, seed: settings.SplitSeed);
            int trainCount = CountRows(split.TrainSet);
            int testCount = CountRows(split.TestSet);
            if (trainCount == 0 || testCount == 0)
            {
                throw CliException.InvalidData(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: {layout.RowCount} rows split by --test-fraction {settings.TestFraction} leave {trainCount} training and {testCount} test rows; both need at least one."));
            }

            return new LoadedData(path, Describe(layout, trainCount, testCount, "split off by --test-fraction"), split.TrainSet, split.TestSet, all,
                trainCount, testCount, layout.FeatureIndices.Length, layout.LabelValues,
                settings.LowerBound ?? layout.MinimumFeature, UpperOf(settings, layout.MinimumFeature, layout.MaximumFeature), image)
            {
                Warnings = DelimitedFileScanner.RareClassWarnings(path, layout.LabelCounts),
                Fingerprint = Modeling.TrainingRunRecord.FingerprintOf(path),
                SplitMade = true,
                FeatureMinimum = layout.MinimumFeature,
                FeatureMaximum = layout.MaximumFeature,
            };
        }

        string testPath = settings.TestDataPath;
        if (Directory.Exists(testPath)) throw CliException.InvalidArgument($"--test-data '{testPath}' is a folder; give a CSV/TSV file (an IDX folder given to --data brings its own test files).");
        if (!File.Exists(testPath)) throw CliException.InvalidData($"--test-data '{testPath}': no such file.");
        DelimitedFileLayout testLayout = DelimitedFileScanner.Scan(testPath, settings.SeparatorFor(testPath), settings.Header, settings.LabelColumn, settings.FeatureColumns, skipNonFinite);
        if (testLayout.FieldCount != layout.FieldCount || !testLayout.FeatureIndices.SequenceEqual(layout.FeatureIndices) || testLayout.LabelIndex != layout.LabelIndex)
        {
            throw CliException.InvalidData($"--test-data '{testPath}' has {testLayout.FieldCount} columns (label {testLayout.LabelIndex}, {testLayout.FeatureIndices.Length} features); --data '{path}' has {layout.FieldCount} (label {layout.LabelIndex}, {layout.FeatureIndices.Length} features).");
        }

        bool numericLabels = layout.LabelIsNumeric && testLayout.LabelIsNumeric;
        IDataView train = FiniteRows(context, TextLoaderFor(context, layout, numericLabels).Load(new DelimitedFileSource(path)), layout);
        IDataView test = FiniteRows(context, TextLoaderFor(context, testLayout, numericLabels).Load(new DelimitedFileSource(testPath)), testLayout);
        float minimum = Math.Min(layout.MinimumFeature, testLayout.MinimumFeature);
        float maximum = Math.Max(layout.MaximumFeature, testLayout.MaximumFeature);
        return new LoadedData(path, Describe(layout, layout.RowCount, testLayout.RowCount, $"test rows from {testPath}"), train, test,
            FiniteRows(context, TextLoaderFor(context, layout, numericLabels).Load(new DelimitedFileSource(path, testPath)), layout),
            layout.RowCount - layout.NonFiniteRowCount, testLayout.RowCount - testLayout.NonFiniteRowCount, layout.FeatureIndices.Length, MergeLabels(layout, testLayout, numericLabels),
            settings.LowerBound ?? minimum, UpperOf(settings, minimum, maximum), image)
        {
            Warnings = DelimitedFileScanner.RareClassWarnings(path, layout.LabelCounts),
            Fingerprint = Modeling.TrainingRunRecord.FingerprintOf(path, testPath),
            FeatureMinimum = minimum,
            FeatureMaximum = maximum,
        };
    }

    /// <summary>The view without the rows holding a NaN or infinite feature, when the scan accepted some (<c>--skip-non-finite</c>).</summary>
    private static IDataView FiniteRows(MLContext context, IDataView view, DelimitedFileLayout layout) =>
        layout.NonFiniteRowCount == 0
            ? view
            : context.Data.FilterByCustomPredicate<FeatureRow>(view, row => !row.Features.All(float.IsFinite));

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    private static IReadOnlyList<string> MergeLabels(DelimitedFileLayout train, DelimitedFileLayout test, bool numeric)
    {
        IEnumerable<string> all = numeric
            ? train.LabelValues.Select(DelimitedFileScanner.CanonicalNumber).Union(test.LabelValues.Select(DelimitedFileScanner.CanonicalNumber), StringComparer.Ordinal)
            : train.LabelValues.Union(test.LabelValues, StringComparer.Ordinal);
        return numeric
            ? all.OrderBy(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToList()
            : all.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The upper bound; when the data's range is a single value, one above it so that the bounds stay ordered.</summary>
    private static float UpperOf(DataSettings settings, float minimum, float maximum)
    {
        if (settings.UpperBound is float upper) return upper;
        float lower = settings.LowerBound ?? minimum;
        return maximum > lower ? maximum : lower + 1f;
    }

    private static TextLoader TextLoaderFor(MLContext context, DelimitedFileLayout layout, bool numericLabels)
    {
        var ranges = new List<TextLoader.Range>();
        int start = layout.FeatureIndices[0];
        int previous = start;
        foreach (int index in layout.FeatureIndices.Skip(1))
        {
            if (index == previous + 1)
            {
                previous = index;
                continue;
            }

            ranges.Add(new TextLoader.Range(start, previous));
            start = previous = index;
        }

        ranges.Add(new TextLoader.Range(start, previous));
        var options = new TextLoader.Options
        {
            Columns =
            [
                new TextLoader.Column(LoadedData.LabelColumnName, numericLabels ? DataKind.Single : DataKind.String, layout.LabelIndex),
                new TextLoader.Column(LoadedData.FeatureColumnName, DataKind.Single, ranges.ToArray()),
            ],
            HasHeader = layout.HasHeader,
            Separators = [layout.Separator],
            AllowQuoting = true,
            TrimWhitespace = true,
        };
        return context.Data.CreateTextLoader(options);
    }

    private static string Describe(DelimitedFileLayout layout, int trainCount, int testCount, string testSource)
    {
        string label = layout.ColumnNames is { } names ? $"'{names[layout.LabelIndex]}'" : $"column {layout.LabelIndex}";
        string skipped = layout.NonFiniteRowCount == 0 ? "" : $"; {layout.NonFiniteRowCount} rows with a NaN or infinite feature skipped (--skip-non-finite)";
        return string.Create(CultureInfo.InvariantCulture,
            $"{layout.Path}: {trainCount} training and {testCount} test rows ({testSource}), label {label} with {layout.LabelValues.Count} class{(layout.LabelValues.Count == 1 ? "" : "es")}, {layout.FeatureIndices.Length} feature{(layout.FeatureIndices.Length == 1 ? "" : "s")} in [{layout.MinimumFeature:G4}, {layout.MaximumFeature:G4}]{skipped}");
    }

    private static ImageShape? ImageShapeFor(DataSettings settings, int featureCount)
    {
        if (settings.ImageWidth is not int width || settings.ImageHeight is not int height) return null;
        if (width * height != featureCount)
        {
            throw CliException.InvalidArgument($"--image-width {width} x --image-height {height} = {width * height} pixels, but the data has {featureCount} features.");
        }

        return new ImageShape(1, height, width);
    }

    /// <summary>Counts the rows of a view by cursoring over no column.</summary>
    public static int CountRows(IDataView view)
    {
        if (view.GetRowCount() is long known) return checked((int)known);
        int count = 0;
        using DataViewRowCursor cursor = view.GetRowCursor([]);
        while (cursor.MoveNext()) count++;
        return count;
    }

    private static LoadedData Limit(MLContext context, LoadedData data, int? maxRows)
    {
        if (maxRows is not int max || (data.TrainCount <= max && data.TestCount <= max)) return data;
        int trainCount = Math.Min(max, data.TrainCount);
        int testCount = Math.Min(max, data.TestCount);
        return data with
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"{data.Description}; limited by --max-rows to {trainCount} training and {testCount} test rows"),
            Train = context.Data.TakeRows(data.Train, trainCount),
            Test = context.Data.TakeRows(data.Test, testCount),
            All = context.Data.TakeRows(data.All, trainCount + testCount),
            TrainCount = trainCount,
            TestCount = testCount,
        };
    }
}
