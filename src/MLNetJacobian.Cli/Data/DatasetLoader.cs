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
    /// <param name="modelTask">The task of the model to be scored (evaluate), which decides how the label is read; null to take <c>--task</c> or infer it.</param>
    /// <param name="modelTaskSource">The model, for messages: <c>the model 'm.zip' (a binary classifier)</c>.</param>
    public static LoadedData Load(MLContext context, DataSettings settings, LearningTask? modelTask = null, string? modelTaskSource = null)
    {
        LoadedData data;
        if (settings.DataPath is not null && File.Exists(settings.DataPath))
        {
            data = LoadDelimited(context, settings, modelTask, modelTaskSource);
            return Checked(context, data, settings);
        }

        if ((modelTask ?? settings.Task) is LearningTask task && task != LearningTask.Multiclass)
        {
            string source = settings.DataPath is null ? "the embedded digits" : $"the IDX folder '{settings.DataPath}'";
            string by = modelTaskSource ?? $"--task {task.ToString().ToLowerInvariant()}";
            if (settings.DataPath is null || Directory.Exists(settings.DataPath))
            {
                string message = $"{by}: {source} hold 10 classes of images; only a multiclass model applies (give a CSV/TSV with --data for a binary or regression task).";
                throw modelTaskSource is null ? CliException.InvalidArgument(message) : CliException.InvalidModel(message);
            }
        }

        if (settings.Categorical is not null && (settings.DataPath is null || Directory.Exists(settings.DataPath)))
        {
            throw CliException.InvalidArgument("--categorical applies to CSV/TSV files; the embedded digits and IDX folders hold pixels only.");
        }

        if (settings.DataPath is null)
        {
            data = LoadDigits(context, settings);
        }
        else if (Directory.Exists(settings.DataPath))
        {
            data = IdxFolderLoader.Load(context, settings);
        }
        else
        {
            throw CliException.InvalidData($"--data '{settings.DataPath}': no such file or folder.");
        }

        return Checked(context, data, settings);
    }

    /// <summary>Checks the bounds and applies <c>--max-rows</c>.</summary>
    private static LoadedData Checked(MLContext context, LoadedData data, DataSettings settings)
    {
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

    private static LoadedData LoadDelimited(MLContext context, DataSettings settings, LearningTask? modelTask, string? modelTaskSource)
    {
        string path = settings.DataPath!;
        bool skipNonFinite = settings is TrainerSettings { SkipNonFinite: true };
        DelimitedFileLayout layout = DelimitedFileScanner.Scan(path, settings.SeparatorFor(path), settings.Header, settings.LabelColumn, settings.FeatureColumns, skipNonFinite, settings.Categorical);
        LearningTask task = TaskInference.Resolve(layout, modelTask ?? settings.Task, modelTaskSource, skipNonFinite);
        ImageShape? image = ImageShapeFor(settings, layout.FeatureIndices.Length);
        TextLoader loader = TextLoaderFor(context, layout, LabelKindOf(task, layout.LabelIsNumeric));
        if (settings.TestDataPath is null)
        {
            IDataView raw = loader.Load(new DelimitedFileSource(path));
            DataOperationsCatalog.TrainTestData split = context.Data.TrainTestSplit(raw, settings.TestFraction, seed: settings.SplitSeed);
            ITransformer? featurizer = Featurizer(context, layout, split.TrainSet);
            IDataView train = Clean(context, split.TrainSet, featurizer, layout, task);
            IDataView test = Clean(context, split.TestSet, featurizer, layout, task);
            int trainCount = CountRows(train);
            int testCount = CountRows(test);
            if (trainCount == 0 || testCount == 0)
            {
                throw CliException.InvalidData(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: {layout.RowCount} rows split by --test-fraction {settings.TestFraction} leave {trainCount} training and {testCount} test rows; both need at least one."));
            }

            IDataView all = Clean(context, raw, featurizer, layout, task);
            return new LoadedData(path, Describe(layout, task, trainCount, testCount, "split off by --test-fraction"), train, test, all,
                trainCount, testCount, FeatureCountOf(train), ClassNamesOf(task, layout.LabelValues),
                settings.LowerBound ?? layout.MinimumFeature, UpperOf(settings, layout.MinimumFeature, layout.MaximumFeature), image)
            {
                Warnings = Warnings(path, layout, task),
                Fingerprint = Modeling.TrainingRunRecord.FingerprintOf(path),
                SplitMade = true,
                FeatureMinimum = layout.MinimumFeature,
                FeatureMaximum = layout.MaximumFeature,
                Task = task,
                Featurizer = featurizer,
                RawSchema = featurizer is null ? null : raw.Schema,
                NumericFeatureNames = layout.ColumnNames is { } trainNames ? layout.FeatureIndices.Select(i => trainNames[i]).ToArray() : null,
            };
        }

        string testPath = settings.TestDataPath;
        if (Directory.Exists(testPath)) throw CliException.InvalidArgument($"--test-data '{testPath}' is a folder; give a CSV/TSV file (an IDX folder given to --data brings its own test files).");
        if (!File.Exists(testPath)) throw CliException.InvalidData($"--test-data '{testPath}': no such file.");
        DelimitedFileLayout testLayout = DelimitedFileScanner.Scan(testPath, settings.SeparatorFor(testPath), settings.Header, settings.LabelColumn, settings.FeatureColumns, skipNonFinite,
            settings.Categorical ?? (layout.CategoricalIndices.Length > 0 ? string.Join(",", layout.CategoricalIndices) : null));
        if (testLayout.FieldCount != layout.FieldCount || !testLayout.FeatureIndices.SequenceEqual(layout.FeatureIndices) || testLayout.LabelIndex != layout.LabelIndex
            || !testLayout.CategoricalIndices.SequenceEqual(layout.CategoricalIndices))
        {
            throw CliException.InvalidData($"--test-data '{testPath}' has {testLayout.FieldCount} columns (label {testLayout.LabelIndex}, {testLayout.FeatureIndices.Length} numeric and {testLayout.CategoricalIndices.Length} categorical features); --data '{path}' has {layout.FieldCount} (label {layout.LabelIndex}, {layout.FeatureIndices.Length} numeric and {layout.CategoricalIndices.Length} categorical features).");
        }

        TaskInference.Resolve(testLayout, task, modelTaskSource ?? $"--task {task.ToString().ToLowerInvariant()} (from --data)", skipNonFinite);
        bool numericLabels = layout.LabelIsNumeric && testLayout.LabelIsNumeric;
        TextLoader sharedLoader = TextLoaderFor(context, layout, LabelKindOf(task, numericLabels));
        IDataView rawTrain = sharedLoader.Load(new DelimitedFileSource(path));
        ITransformer? trainFeaturizer = Featurizer(context, layout, rawTrain);
        IDataView trainView = Clean(context, rawTrain, trainFeaturizer, layout, task);
        IDataView testView = Clean(context, sharedLoader.Load(new DelimitedFileSource(testPath)), trainFeaturizer, testLayout, task);
        float minimum = Math.Min(layout.MinimumFeature, testLayout.MinimumFeature);
        float maximum = Math.Max(layout.MaximumFeature, testLayout.MaximumFeature);
        int trainRows = CountRows(trainView), testRows = CountRows(testView);
        return new LoadedData(path, Describe(layout, task, trainRows, testRows, $"test rows from {testPath}"), trainView, testView,
            Clean(context, sharedLoader.Load(new DelimitedFileSource(path, testPath)), trainFeaturizer, layout, task),
            trainRows, testRows, FeatureCountOf(trainView), ClassNamesOf(task, MergeLabels(layout, testLayout, numericLabels)),
            settings.LowerBound ?? minimum, UpperOf(settings, minimum, maximum), image)
        {
            Warnings = Warnings(path, layout, task),
            Fingerprint = Modeling.TrainingRunRecord.FingerprintOf(path, testPath),
            FeatureMinimum = minimum,
            FeatureMaximum = maximum,
            Task = task,
            Featurizer = trainFeaturizer,
            RawSchema = trainFeaturizer is null ? null : rawTrain.Schema,
            NumericFeatureNames = layout.ColumnNames is { } names ? layout.FeatureIndices.Select(i => names[i]).ToArray() : null,
        };
    }

    /// <summary>The name of the numeric feature vector when categorical columns are concatenated after it into <see cref="LoadedData.FeatureColumnName"/>.</summary>
    public const string NumericFeatureColumnName = "NumericFeatures";

    /// <summary>The suffix of a categorical column's one-hot encoding (the column itself keeps the text).</summary>
    public const string OneHotSuffix = ".onehot";

    /// <summary>How the label column is loaded for <paramref name="task"/>.</summary>
    private static DataKind LabelKindOf(LearningTask task, bool numeric) => task switch
    {
        LearningTask.Binary => DataKind.Boolean,
        LearningTask.Regression => DataKind.Single,
        _ => numeric ? DataKind.Single : DataKind.String,
    };

    /// <summary>Binary: the two Boolean values; regression: none; multiclass: the classes.</summary>
    private static IReadOnlyList<string> ClassNamesOf(LearningTask task, IReadOnlyList<string> labels) => task switch
    {
        LearningTask.Binary => ["False", "True"],
        LearningTask.Regression => [],
        _ => labels,
    };

    private static IReadOnlyList<string> Warnings(string path, DelimitedFileLayout layout, LearningTask task)
    {
        var warnings = new List<string>();
        if (task == LearningTask.Multiclass) warnings.AddRange(DelimitedFileScanner.RareClassWarnings(path, layout.LabelCounts));
        return warnings;
    }

    /// <summary>
    /// The one-hot encoding of the categorical columns and their concatenation after the numeric features into
    /// <c>Features</c>, fitted on the training rows (a category seen only in test rows encodes as all zeros); null without categorical columns.
    /// </summary>
    private static ITransformer? Featurizer(MLContext context, DelimitedFileLayout layout, IDataView rawTrain)
    {
        if (layout.CategoricalIndices.Length == 0) return null;
        // The encoding goes to new columns: the raw text stays, so a saved model (featurizer first) also scores featurized views.
        InputOutputColumnPair[] columns = layout.CategoricalIndices.Select(i => new InputOutputColumnPair(layout.ViewColumnName(i) + OneHotSuffix, layout.ViewColumnName(i))).ToArray();
        string[] inputs = [.. layout.FeatureIndices.Length > 0 ? [NumericFeatureColumnName] : Array.Empty<string>(), .. columns.Select(c => c.OutputColumnName)];
        return Modeling.Guard.Data(() => context.Transforms.Categorical.OneHotEncoding(columns)
            .Append(context.Transforms.Concatenate(LoadedData.FeatureColumnName, inputs))
            .Fit(rawTrain));
    }

    /// <summary>The featurized rows without those holding a NaN or infinite feature (<c>--skip-non-finite</c>) or, for a regression, label.</summary>
    private static IDataView Clean(MLContext context, IDataView raw, ITransformer? featurizer, DelimitedFileLayout layout, LearningTask task)
    {
        IDataView view = featurizer?.Transform(raw) ?? raw;
        if (layout.NonFiniteRowCount > 0) view = context.Data.FilterByCustomPredicate<FeatureRow>(view, row => !row.Features.All(float.IsFinite));
        if (task == LearningTask.Regression && layout.NonFiniteLabelRowCount > 0)
        {
            view = context.Data.FilterByCustomPredicate<LabelRow>(view, row => !float.IsFinite(row.Label));
        }

        return view;
    }

    private static int FeatureCountOf(IDataView view) =>
        view.Schema[LoadedData.FeatureColumnName].Type is VectorDataViewType { Size: > 0 } vector
            ? vector.Size
            : throw new InvalidOperationException("The feature column is not a known-size vector.");

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class LabelRow
    {
        public float Label { get; set; }
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

    private static TextLoader TextLoaderFor(MLContext context, DelimitedFileLayout layout, DataKind labelKind)
    {
        var columns = new List<TextLoader.Column> { new(LoadedData.LabelColumnName, labelKind, layout.LabelIndex) };
        if (layout.FeatureIndices.Length > 0)
        {
            string name = layout.CategoricalIndices.Length > 0 ? NumericFeatureColumnName : LoadedData.FeatureColumnName;
            columns.Add(new TextLoader.Column(name, DataKind.Single, RangesOf(layout.FeatureIndices)));
        }

        foreach (int index in layout.CategoricalIndices)
        {
            string name = layout.ViewColumnName(index);
            if (name is LoadedData.LabelColumnName or LoadedData.FeatureColumnName or NumericFeatureColumnName || name.EndsWith(OneHotSuffix, StringComparison.Ordinal) || columns.Any(c => c.Name == name))
            {
                throw CliException.InvalidData($"{layout.Path}: the categorical column {layout.ColumnName(index)} has a name the tool uses for another column; rename it in the header.");
            }

            columns.Add(new TextLoader.Column(name, DataKind.String, index));
        }

        var options = new TextLoader.Options
        {
            Columns = columns.ToArray(),
            HasHeader = layout.HasHeader,
            Separators = [layout.Separator],
            AllowQuoting = true,
            TrimWhitespace = true,
        };
        // With a header, the file is the loader's sample: TextLoader then names the numeric vector's slots after the
        // header (ML.NET's SlotNames annotation), which Concatenate carries into Features and reports print.
        return context.Data.CreateTextLoader(options, layout.HasHeader ? new DelimitedFileSource(layout.Path) : null);
    }

    private static TextLoader.Range[] RangesOf(int[] indices)
    {
        var ranges = new List<TextLoader.Range>();
        int start = indices[0];
        int previous = start;
        foreach (int index in indices.Skip(1))
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
        return ranges.ToArray();
    }

    private static string Describe(DelimitedFileLayout layout, LearningTask task, int trainCount, int testCount, string testSource)
    {
        string label = layout.ColumnName(layout.LabelIndex);
        string skipped = layout.NonFiniteRowCount == 0 ? "" : $"; {layout.NonFiniteRowCount} rows with a NaN or infinite feature skipped (--skip-non-finite)";
        if (task == LearningTask.Regression && layout.NonFiniteLabelRowCount > 0) skipped += $"; {layout.NonFiniteLabelRowCount} rows with a NaN or infinite label skipped (--skip-non-finite)";
        string labelText = task switch
        {
            LearningTask.Binary => $"binary label {label} ({layout.LabelCounts.Where(p => p.Key is "1" || p.Key.Equals("true", StringComparison.OrdinalIgnoreCase)).Sum(p => p.Value)} of {layout.LabelCounts.Values.Sum()} rows true)",
            LearningTask.Regression => $"regression label {label} in [{layout.LabelValues[0]}, {layout.LabelValues[^1]}]",
            _ => $"label {label} with {layout.LabelValues.Count} classes",
        };
        string categorical = layout.CategoricalIndices.Length == 0
            ? ""
            : $"; one-hot encoded: {string.Join(", ", layout.CategoricalIndices.Select(i => layout.ColumnName(i) + (layout.DetectedCategorical.Contains(i) ? " (text: detected)" : "")))}";
        return string.Create(CultureInfo.InvariantCulture,
            $"{layout.Path}: {trainCount} training and {testCount} test rows ({testSource}), {labelText}, {layout.FeatureIndices.Length} {(layout.CategoricalIndices.Length > 0 ? "numeric " : "")}features in [{layout.MinimumFeature:G4}, {layout.MaximumFeature:G4}]{categorical}{skipped}");
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
