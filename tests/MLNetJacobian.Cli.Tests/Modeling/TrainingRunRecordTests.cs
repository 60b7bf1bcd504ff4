using System.IO.Compression;
using Microsoft.ML;
using MLNetJacobian.Cli.Modeling;

namespace MLNetJacobian.Cli.Tests.Modeling;

public class TrainingRunRecordTests
{
    [Fact]
    public void TryRead_RecordOfAnOlderToolInPascalCase_StillReads()
    {
        using var folder = new TemporaryFolder();
        string zip = folder.File("old.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(archive.CreateEntry(TrainingRunRecord.EntryName).Open()))
        {
            writer.Write("""{ "DataFingerprint": "embedded digits", "DataSource": "embedded digits", "SplitMade": true, "TestFraction": 0.2, "SplitSeed": 7, "FeatureMinimum": 0, "FeatureMaximum": 16 }""");
        }

        TrainingRunRecord? record = TrainingRunRecord.TryRead(zip);

        Assert.Equal(new TrainingRunRecord("embedded digits", "embedded digits", true, 0.2, 7, 0, 16), record);
    }

    [Fact]
    public void SaveWith_WritesCamelCaseNamesAndReadsBack()
    {
        var context = new MLContext(seed: 1);
        IDataView data = context.Data.LoadFromEnumerable([new Row { Value = 1 }]);
        ITransformer model = context.Transforms.CopyColumns("Copy", "Value").Fit(data);
        var record = new TrainingRunRecord("f", "s", false, 0, 1, -1, 1);
        using var folder = new TemporaryFolder();
        string zip = folder.File("new.zip");
        using (FileStream stream = File.Create(zip)) record.SaveWith(context, model, data.Schema, stream);

        using (ZipArchive archive = ZipFile.OpenRead(zip))
        using (var reader = new StreamReader(archive.GetEntry(TrainingRunRecord.EntryName)!.Open()))
        {
            string json = reader.ReadToEnd();
            Assert.Contains("\"dataFingerprint\"", json, StringComparison.Ordinal);
            Assert.DoesNotContain("\"DataFingerprint\"", json, StringComparison.Ordinal);
        }

        Assert.Equal(record, TrainingRunRecord.TryRead(zip));
    }

    private sealed class Row
    {
        public float Value { get; set; }
    }
}
