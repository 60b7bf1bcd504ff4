using System.ComponentModel;
using System.Globalization;
using MLNetJacobian.Cli.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Commands;

/// <summary>The data options every command that reads data shares.</summary>
internal class DataSettings : CommandSettings
{
    [CommandOption("--data <PATH>")]
    [Description("The data: omit for the embedded 8x8 digits (no download); a folder of IDX files (MNIST, plain or .gz); or a CSV/TSV file (plain or gzip).")]
    public string? DataPath { get; set; }

    [CommandOption("--test-data <PATH>")]
    [Description("A CSV/TSV file of test rows with the same columns; without it the test rows are split off --data.")]
    public string? TestDataPath { get; set; }

    [CommandOption("--label <COLUMN>")]
    [Description("CSV/TSV: the label column, by header name or 0-based index. Default: the last column.")]
    public string? LabelColumn { get; set; }

    [CommandOption("--features <COLUMNS>")]
    [Description("CSV/TSV: the feature columns, comma-separated names, indices and ranges (0-63). Default: every column but the label.")]
    public string? FeatureColumns { get; set; }

    [CommandOption("--task <TASK>")]
    [Description("What the label asks for: Multiclass, Binary or Regression. Default: inferred from a CSV/TSV label (true/false -> Binary; text, or at most 20 distinct integers -> Multiclass; numbers with more than 20 distinct values, not all integers -> Regression; anything else is an error asking for --task); evaluate takes the model's.")]
    public Data.LearningTask? Task { get; set; }

    [CommandOption("--categorical <COLUMNS>")]
    [Description("CSV/TSV: feature columns holding categories, one-hot encoded inside the model (the zip takes the raw text), comma-separated names or indices. Default: the feature columns whose values are mostly not numbers.")]
    public string? Categorical { get; set; }

    [CommandOption("--separator <CHAR>")]
    [Description("CSV/TSV: the field separator, one character or 'tab'. Default: tab for .tsv/.tab files, else comma.")]
    public string? Separator { get; set; }

    [CommandOption("--header <MODE>")]
    [Description("CSV/TSV: whether line 1 names the columns: Auto, Present or Absent.")]
    [DefaultValue(HeaderMode.Auto)]
    public HeaderMode Header { get; set; } = HeaderMode.Auto;

    [CommandOption("--test-fraction <FRACTION>")]
    [Description("Digits and CSV/TSV without --test-data: the fraction of rows held out for testing, in (0, 1).")]
    [DefaultValue(0.2)]
    public double TestFraction { get; set; } = 0.2;

    [CommandOption("--max-rows <N>")]
    [Description("Use at most N rows of each part (training and test), for quick runs.")]
    public int? MaxRows { get; set; }

    [CommandOption("--lower-bound <VALUE>")]
    [Description("The smallest valid feature value (attacks clip to it). Default: 0 for digits and IDX, the data's minimum for CSV/TSV.")]
    public float? LowerBound { get; set; }

    [CommandOption("--upper-bound <VALUE>")]
    [Description("The largest valid feature value. Default: 1 for digits and IDX, the data's maximum for CSV/TSV.")]
    public float? UpperBound { get; set; }

    [CommandOption("--image-width <PIXELS>")]
    [Description("CSV/TSV: the features are a WIDTH x HEIGHT image (row-major), for pictures. Needs --image-height.")]
    public int? ImageWidth { get; set; }

    [CommandOption("--image-height <PIXELS>")]
    [Description("CSV/TSV: the image height; see --image-width.")]
    public int? ImageHeight { get; set; }

    [CommandOption("--skip-checksums")]
    [Description("IDX folders: do not check the MD5 of the published MNIST files (for other data in MNIST's file names).")]
    public bool SkipChecksums { get; set; }

    [CommandOption("--seed <SEED>")]
    [Description("The seed of the model's initialization, shuffling and the attacks (the split has its own: --split-seed).")]
    [DefaultValue(1)]
    public int Seed { get; set; } = 1;

    [CommandOption("--split-seed <SEED>")]
    [Description("The seed of the train/test split of digits and CSV/TSV data; a model's zip records it, and other commands warn when theirs differs.")]
    [DefaultValue(1)]
    public int SplitSeed { get; set; } = 1;

    /// <summary>The separator character, from <see cref="Separator"/> or the file extension.</summary>
    public char SeparatorFor(string path)
    {
        if (Separator is null)
        {
            string extension = Path.GetExtension(DelimitedFileSource.WithoutGzipExtension(path)).ToLowerInvariant();
            return extension is ".tsv" or ".tab" ? '\t' : ',';
        }

        return Separator.Equals("tab", StringComparison.OrdinalIgnoreCase) || Separator == "\\t" ? '\t' : Separator[0];
    }

    public override ValidationResult Validate()
    {
        if (Separator is not null && Separator.Length != 1 && !Separator.Equals("tab", StringComparison.OrdinalIgnoreCase) && Separator != "\\t")
        {
            return ValidationResult.Error($"--separator '{Separator}' must be one character or 'tab'.");
        }

        if (!(TestFraction > 0 && TestFraction < 1))
        {
            return ValidationResult.Error($"--test-fraction {Format(TestFraction)} must be in (0, 1).");
        }

        if (MaxRows is int maxRows && maxRows < 1) return ValidationResult.Error($"--max-rows {maxRows} must be at least 1.");
        if (LowerBound is float lower && !float.IsFinite(lower)) return ValidationResult.Error($"--lower-bound {Format(lower)} must be finite.");
        if (UpperBound is float upper && !float.IsFinite(upper)) return ValidationResult.Error($"--upper-bound {Format(upper)} must be finite.");
        if (LowerBound is float low && UpperBound is float high && !(low < high))
        {
            return ValidationResult.Error($"--lower-bound {Format(low)} must be below --upper-bound {Format(high)}.");
        }

        if (ImageWidth.HasValue != ImageHeight.HasValue) return ValidationResult.Error("--image-width and --image-height go together; give both or neither.");
        if (ImageWidth is int width && (width < 1 || ImageHeight!.Value < 1))
        {
            return ValidationResult.Error($"--image-width {width} and --image-height {ImageHeight} must be at least 1.");
        }

        if (DataPath is null && (TestDataPath ?? LabelColumn ?? FeatureColumns ?? Separator) is not null)
        {
            return ValidationResult.Error("--test-data, --label, --features and --separator apply to a CSV/TSV file given with --data.");
        }

        return ValidationResult.Success();
    }

    /// <summary>A number as the invariant culture writes it.</summary>
    protected static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
