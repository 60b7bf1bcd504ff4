using System.Globalization;
using System.Text;

namespace MLNetJacobian.Cli.Data;

/// <summary>
/// Reads a CSV/TSV file once before ML.NET's TextLoader does, so that a malformed file fails with one line naming the
/// file, the line and the column (TextLoader itself turns bad numbers into NaN without a word).
/// </summary>
internal static class DelimitedFileScanner
{
    /// <summary>Scans and validates <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="separator">The field separator.</param>
    /// <param name="headerMode">Whether line 1 is a header.</param>
    /// <param name="labelSpecification">The <c>--label</c> value, or null for the last column.</param>
    /// <param name="featureSpecification">The <c>--features</c> value, or null for every other column.</param>
    /// <param name="allowNonFinite">Accept NaN and infinite features (<c>--skip-non-finite</c>: such rows are dropped later) instead of failing.</param>
    /// <param name="categoricalSpecification">The <c>--categorical</c> value, or null: then a feature column holding mostly text is categorical.</param>
    public static DelimitedFileLayout Scan(string path, char separator, HeaderMode headerMode, string? labelSpecification, string? featureSpecification,
        bool allowNonFinite = false, string? categoricalSpecification = null)
    {
        string file = System.IO.Path.GetFileName(path);
        List<(int Number, string[] Fields)> lines = ReadLines(path, separator);
        if (lines.Count == 0) throw CliException.InvalidData($"{path} is empty: no line holds data.");
        bool hasHeader = headerMode switch
        {
            HeaderMode.Present => true,
            HeaderMode.Absent => false,
            _ => LooksLikeHeader(lines),
        };
        IReadOnlyList<string>? names = hasHeader ? lines[0].Fields : null;
        int fieldCount = lines[0].Fields.Length;
        int firstData = hasHeader ? 1 : 0;
        if (lines.Count == firstData) throw CliException.InvalidData($"{path} has a header line and no data lines.");
        if (fieldCount < 2)
        {
            string shown = separator == '\t' ? "tab" : $"'{separator}'";
            throw CliException.InvalidData($"{path}, line {lines[0].Number}: one field only; a label and at least one feature are needed (is the separator {shown} right? see --separator).");
        }

        int labelIndex = ColumnSelector.ResolveLabel(labelSpecification, names, fieldCount, file);
        int[] selected = ColumnSelector.ResolveFeatures(featureSpecification, labelIndex, names, fieldCount, file);
        if (selected.Length == 0) throw CliException.InvalidArgument($"--features '{featureSpecification}' selects no column.");
        int[] named = categoricalSpecification is null ? [] : ColumnSelector.ResolveFeatures(categoricalSpecification, labelIndex, names, fieldCount, file, "--categorical");
        foreach (int index in named)
        {
            if (!selected.Contains(index))
            {
                throw CliException.InvalidArgument($"--categorical '{categoricalSpecification}' names column {ColumnSelector.Describe(index, names)}, which is not among the features (see --features).");
            }
        }

        // A feature column is detected as categorical when most of its values are not numbers; in a mostly numeric
        // column a stray word is an error naming its line (below), not a reason to one-hot encode the column.
        int[] detected = categoricalSpecification is not null ? [] : selected.Where(j => MostlyText(lines, firstData, j, fieldCount)).ToArray();
        int[] categorical = named.Concat(detected).Order().ToArray();
        int[] featureIndices = selected.Except(categorical).ToArray();

        float minimum = float.PositiveInfinity;
        float maximum = float.NegativeInfinity;
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        int nonFiniteRows = 0;
        int nonFiniteLabels = 0;
        (int, string)? firstNonFiniteLabel = null;
        for (int l = firstData; l < lines.Count; l++)
        {
            (int number, string[] fields) = lines[l];
            bool rowFinite = true;
            if (fields.Length != fieldCount)
            {
                throw CliException.InvalidData($"{path}, line {number}: expected {fieldCount} fields (as on line {lines[0].Number}), found {fields.Length}.");
            }

            foreach (int j in featureIndices)
            {
                if (!float.TryParse(fields[j], NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                {
                    throw CliException.InvalidData($"{path}, line {number}, column {ColumnSelector.Describe(j, names)}: '{fields[j]}' is not a number (a column of categories? name it in --categorical to one-hot encode it).");
                }

                if (!float.IsFinite(value))
                {
                    if (allowNonFinite)
                    {
                        rowFinite = false;
                        continue;
                    }

                    throw CliException.InvalidData(
                        $"{path}, line {number}, column {ColumnSelector.Describe(j, names)}: '{fields[j]}' is not a finite number (train and compare skip such rows with --skip-non-finite).");
                }

                minimum = Math.Min(minimum, value);
                maximum = Math.Max(maximum, value);
            }

            if (!rowFinite)
            {
                nonFiniteRows++;
                continue;
            }

            string label = fields[labelIndex];
            if (label.Length == 0) throw CliException.InvalidData($"{path}, line {number}, column {ColumnSelector.Describe(labelIndex, names)}: the label is empty.");
            if (float.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out float labelValue) && !float.IsFinite(labelValue))
            {
                nonFiniteLabels++;
                firstNonFiniteLabel ??= (number, label);
                continue;
            }

            labels[label] = labels.GetValueOrDefault(label) + 1;
        }

        // Numeric labels are classes by value ("7" and "7.0" are one class, named as ML.NET prints the Single).
        bool numeric = labels.Keys.All(IsFiniteNumber);
        Dictionary<string, int> counts = numeric
            ? labels.GroupBy(pair => CanonicalNumber(pair.Key)).ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value), StringComparer.Ordinal)
            : labels;
        IReadOnlyList<string> ordered = numeric
            ? counts.Keys.OrderBy(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToList()
            : counts.Keys.Order(StringComparer.Ordinal).ToList();
        if (featureIndices.Length == 0)
        {
            // Only one-hot features: their values are 0 and 1.
            minimum = 0;
            maximum = 1;
        }
        else if (categorical.Length > 0)
        {
            minimum = Math.Min(minimum, 0);
            maximum = Math.Max(maximum, 1);
        }

        return new DelimitedFileLayout(path, separator, hasHeader, names, fieldCount, labelIndex, featureIndices, numeric, ordered,
            lines.Count - firstData, minimum, maximum)
        {
            LabelCounts = counts,
            NonFiniteRowCount = nonFiniteRows,
            CategoricalIndices = categorical,
            DetectedCategorical = detected,
            NonFiniteLabelRowCount = nonFiniteLabels,
            FirstNonFiniteLabel = firstNonFiniteLabel,
        };
    }

    /// <summary>Whether more than half of column <paramref name="column"/>'s non-empty values are not numbers.</summary>
    private static bool MostlyText(List<(int Number, string[] Fields)> lines, int firstData, int column, int fieldCount)
    {
        int text = 0, values = 0;
        for (int l = firstData; l < lines.Count; l++)
        {
            string[] fields = lines[l].Fields;
            if (fields.Length != fieldCount || fields[column].Length == 0) continue;
            values++;
            if (!float.TryParse(fields[column], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) text++;
        }

        return values > 0 && text * 2 > values;
    }

    /// <summary>A numeric label as ML.NET shows the Single it loads (shortest round-trip text, invariant culture).</summary>
    public static string CanonicalNumber(string text) =>
        float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Warnings about classes with very few rows (fewer than 5, or under a tenth of the median class): often a typo or
    /// a stray value in the label column, which would otherwise become a class of its own without a word.
    /// </summary>
    public static IReadOnlyList<string> RareClassWarnings(string path, IReadOnlyDictionary<string, int> counts)
    {
        if (counts.Count < 2) return [];
        int[] sorted = counts.Values.Order().ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2.0;
        var warnings = new List<string>();
        foreach ((string label, int count) in counts.OrderBy(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (count < 5 || count < median / 10)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: class '{label}' has only {count} row{(count == 1 ? "" : "s")} (the median class has {median:G4}); a typo in the label column? Each distinct label is a class."));
            }
        }

        return warnings;
    }

    /// <summary>Line 1 is a header when some field that is a number on line 2 is not a number on line 1.</summary>
    private static bool LooksLikeHeader(List<(int Number, string[] Fields)> lines)
    {
        string[] first = lines[0].Fields;
        if (lines.Count == 1) return first.All(f => !IsFiniteNumber(f));
        string[] second = lines[1].Fields;
        for (int j = 0; j < Math.Min(first.Length, second.Length); j++)
        {
            if (IsFiniteNumber(second[j]) && !IsFiniteNumber(first[j])) return true;
        }

        return false;
    }

    private static bool IsFiniteNumber(string text) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value);

    private static List<(int Number, string[] Fields)> ReadLines(string path, char separator)
    {
        var lines = new List<(int, string[])>();
        try
        {
            using StreamReader reader = DelimitedFileSource.OpenText(path);
            int number = 0;
            while (reader.ReadLine() is { } line)
            {
                number++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                lines.Add((number, SplitFields(line, separator, path, number)));
            }
        }
        catch (InvalidDataException exception)
        {
            throw CliException.InvalidData($"{path}: the gzip data is damaged: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw CliException.InvalidData($"{path}: cannot read the file: {exception.Message}", exception);
        }

        return lines;
    }

    /// <summary>Splits one line; a field may be wrapped in double quotes (a doubled quote inside stands for one).</summary>
    private static string[] SplitFields(string line, char separator, string path, int number)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            field.Clear();
            while (i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) throw CliException.InvalidData($"{path}, line {number}: a quoted field is not closed.");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                while (i < line.Length && line[i] != separator) i++;
            }
            else
            {
                while (i < line.Length && line[i] != separator) field.Append(line[i++]);
            }

            fields.Add(field.ToString().Trim());
            if (i >= line.Length) break;
            i++;
        }

        return fields.ToArray();
    }
}
