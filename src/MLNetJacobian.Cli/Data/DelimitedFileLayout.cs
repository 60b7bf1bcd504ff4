namespace MLNetJacobian.Cli.Data;

/// <summary>What a scan of a CSV/TSV file found: its columns, which hold the label and the features, and its value range.</summary>
/// <param name="Path">The file.</param>
/// <param name="Separator">The field separator.</param>
/// <param name="HasHeader">Whether line 1 names the columns.</param>
/// <param name="ColumnNames">The header names, or null without a header.</param>
/// <param name="FieldCount">Fields per line.</param>
/// <param name="LabelIndex">The label column.</param>
/// <param name="FeatureIndices">The numeric feature columns, ascending (the categorical ones are in <see cref="CategoricalIndices"/>).</param>
/// <param name="LabelIsNumeric">Whether every label is a finite number (loaded as Single; else as text).</param>
/// <param name="LabelValues">The distinct labels, in ML.NET's key order (numeric or ordinal).</param>
/// <param name="RowCount">Data lines (blank lines excluded).</param>
/// <param name="MinimumFeature">The smallest feature value.</param>
/// <param name="MaximumFeature">The largest feature value.</param>
internal sealed record DelimitedFileLayout(
    string Path,
    char Separator,
    bool HasHeader,
    IReadOnlyList<string>? ColumnNames,
    int FieldCount,
    int LabelIndex,
    int[] FeatureIndices,
    bool LabelIsNumeric,
    IReadOnlyList<string> LabelValues,
    int RowCount,
    float MinimumFeature,
    float MaximumFeature)
{
    /// <summary>Rows per class, keyed like <see cref="LabelValues"/>.</summary>
    public IReadOnlyDictionary<string, int> LabelCounts { get; init; } = new Dictionary<string, int>();

    /// <summary>Rows with a NaN or infinite feature, accepted only with <c>--skip-non-finite</c> (they are dropped, and not counted elsewhere).</summary>
    public int NonFiniteRowCount { get; init; }

    /// <summary>The text feature columns, one-hot encoded (<c>--categorical</c>, or detected), ascending.</summary>
    public int[] CategoricalIndices { get; init; } = [];

    /// <summary>The categorical columns detected because they hold text (not named by <c>--categorical</c>).</summary>
    public IReadOnlyList<int> DetectedCategorical { get; init; } = [];

    /// <summary>Rows whose label is a NaN or infinite number (not in <see cref="LabelCounts"/>); a regression with <c>--skip-non-finite</c> drops them.</summary>
    public int NonFiniteLabelRowCount { get; init; }

    /// <summary>The first row with a NaN or infinite label: its line and text; null when none.</summary>
    public (int Line, string Text)? FirstNonFiniteLabel { get; init; }

    /// <summary>A column as messages name it: <c>'name'</c>, or <c>column 3</c> without a header.</summary>
    public string ColumnName(int index) => ColumnNames is { } names ? $"'{names[index]}'" : $"column {index}";

    /// <summary>The name of a categorical column in the loaded view: its header name, or <c>Column3</c> without a header.</summary>
    public string ViewColumnName(int index) => ColumnNames is { } names ? names[index] : $"Column{index}";
}
