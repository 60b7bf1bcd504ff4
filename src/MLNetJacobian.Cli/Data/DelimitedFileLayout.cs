namespace MLNetJacobian.Cli.Data;

/// <summary>What a scan of a CSV/TSV file found: its columns, which hold the label and the features, and its value range.</summary>
/// <param name="Path">The file.</param>
/// <param name="Separator">The field separator.</param>
/// <param name="HasHeader">Whether line 1 names the columns.</param>
/// <param name="ColumnNames">The header names, or null without a header.</param>
/// <param name="FieldCount">Fields per line.</param>
/// <param name="LabelIndex">The label column.</param>
/// <param name="FeatureIndices">The feature columns, ascending.</param>
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
}
