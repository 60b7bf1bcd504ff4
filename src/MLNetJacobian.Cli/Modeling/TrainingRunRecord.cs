using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML;
using MLNetJacobian.Cli.Commands;
using MLNetJacobian.Cli.Data;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>
/// What the tool stores inside every model zip it writes (entry <see cref="EntryName"/>, which ML.NET ignores): which
/// data the model was trained on, how the rows were split, and the features' range, so that a later command can warn
/// when it would score the model on its own training rows or on data scaled differently.
/// </summary>
/// <param name="DataFingerprint">The data's identity: <c>embedded digits</c>, or the SHA-256 of the file(s).</param>
/// <param name="DataSource">The data's name as given (a path, or <c>embedded digits</c>).</param>
/// <param name="SplitMade">Whether the tool split the test rows off the data (false for IDX folders and <c>--test-data</c>).</param>
/// <param name="TestFraction">The held-out fraction when the tool split.</param>
/// <param name="SplitSeed">The seed of that split.</param>
/// <param name="FeatureMinimum">The smallest feature value of the data.</param>
/// <param name="FeatureMaximum">The largest feature value of the data.</param>
internal sealed record TrainingRunRecord(
    string DataFingerprint,
    string DataSource,
    bool SplitMade,
    double TestFraction,
    int SplitSeed,
    float FeatureMinimum,
    float FeatureMaximum)
{
    /// <summary>The zip entry holding the record (JSON).</summary>
    public const string EntryName = "MLNetJacobian.Cli/training-run.json";

    // camelCase like every JSON file the tool writes; read case-insensitively so records of older tools (PascalCase) still load.
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true };

    /// <summary>The record of a model trained on <paramref name="data"/> with <paramref name="settings"/>.</summary>
    public static TrainingRunRecord Of(LoadedData data, DataSettings settings) =>
        new(data.Fingerprint, data.Source, data.SplitMade, settings.TestFraction, settings.SplitSeed, data.FeatureMinimum, data.FeatureMaximum);

    /// <summary>Saves <paramref name="model"/> as ML.NET does and adds the record to the zip.</summary>
    public void SaveWith(MLContext context, ITransformer model, DataViewSchema inputSchema, Stream destination)
    {
        using var buffer = new MemoryStream();
        context.Model.Save(model, inputSchema, buffer);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        using (var writer = new StreamWriter(zip.CreateEntry(EntryName).Open()))
        {
            writer.Write(JsonSerializer.Serialize(this, Json));
        }

        buffer.Position = 0;
        buffer.CopyTo(destination);
    }

    /// <summary>The record stored in <paramref name="zipPath"/>, or null (a zip written by another program, or an older tool).</summary>
    public static TrainingRunRecord? TryRead(string zipPath)
    {
        try
        {
            using ZipArchive zip = ZipFile.OpenRead(zipPath);
            ZipArchiveEntry? entry = zip.GetEntry(EntryName);
            if (entry is null) return null;
            using Stream stream = entry.Open();
            return JsonSerializer.Deserialize<TrainingRunRecord>(stream, Json);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Warnings about scoring this model on <paramref name="part"/> of <paramref name="data"/>: rows it was trained on,
    /// and features on another scale than its training data's.
    /// </summary>
    public IReadOnlyList<string> Check(string modelName, LoadedData data, DataSettings settings, DataSplit part)
    {
        var warnings = new List<string>();
        if (data.Fingerprint == DataFingerprint)
        {
            if (part != DataSplit.Test)
            {
                warnings.Add($"{modelName} was trained on this data, and --split {part} includes its training rows: the figures are not test figures.");
            }
            else if (SplitMade && data.SplitMade && (SplitSeed != settings.SplitSeed || TestFraction != settings.TestFraction))
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{modelName} was trained on this data split with --split-seed {SplitSeed} --test-fraction {TestFraction}; this run splits with --split-seed {settings.SplitSeed} --test-fraction {settings.TestFraction}, so its test rows include training rows and the figures are too optimistic. Pass --split-seed {SplitSeed} --test-fraction {TestFraction}."));
            }
        }

        double width = Math.Max(FeatureMaximum - FeatureMinimum, 1e-12);
        if (Math.Abs(data.FeatureMinimum - FeatureMinimum) > 0.25 * width || Math.Abs(data.FeatureMaximum - FeatureMaximum) > 0.25 * width)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{modelName} was trained on features in [{FeatureMinimum:G4}, {FeatureMaximum:G4}] ({DataSource}), but this data's are in [{data.FeatureMinimum:G4}, {data.FeatureMaximum:G4}]: give data scaled like the training data, or the figures describe the wrong inputs."));
        }

        return warnings;
    }

    /// <summary>The SHA-256 of the given files, in order (hex), for a data fingerprint.</summary>
    public static string FingerprintOf(params string[] paths)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[1 << 16];
        foreach (string path in paths)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) hash.AppendData(buffer, 0, read);
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
