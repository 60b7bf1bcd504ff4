using System.IO.Compression;
using Microsoft.ML;
using MLNetJacobian.Network;
using MLNetJacobian.Onnx;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>
/// Damaged model files are refused: every zip entry's CRC-32 is checked, and the network carries a SHA-256 digest
/// that the reader recomputes, so a changed weight never scores silently.
/// </summary>
public sealed class ModelIntegrityTests
{
    private static readonly Lazy<(MLContext Context, IDataView Data, ITransformer Model)> Trained = new(() =>
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 200);
        ITransformer model = context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.MulticlassClassification.Trainers.JacobianRegularized(new JacobianRegularizedTrainer.Options
            {
                HiddenLayers = [8],
                NumberOfEpochs = 1,
                Seed = 3,
                NumberOfThreads = 1,
            }))
            .Fit(data);
        return (context, data, model);
    });

    [Fact]
    public void Load_OneByteFlippedAnywhereInTheNetworkEntry_Refused()
    {
        var (context, data, model) = Trained.Value;
        string path = TemporaryPath();
        try
        {
            context.Model.Save(model, data.Schema, path);
            byte[] original = File.ReadAllBytes(path);
            (long start, long length) = StoredRange(path, "OnnxModel");
            int refused = 0, tried = 0;
            for (int step = 1; step <= 8; step++)
            {
                long offset = start + length * step / 9;
                byte[] damaged = (byte[])original.Clone();
                damaged[offset] ^= 0x10;
                File.WriteAllBytes(path, damaged);
                tried++;
                Exception? error = Record.Exception(() => JacobianRegularizedModel.Load(new MLContext(seed: 2), path, out _));
                if (error is InvalidDataException or DamagedModelException) refused++;
            }

            Assert.Equal(tried, refused);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_WeightChangedWithValidCrc_DamagedModelExceptionNamingTheFile()
    {
        var (context, data, model) = Trained.Value;
        string path = TemporaryPath();
        try
        {
            context.Model.Save(model, data.Schema, path);
            JacobianRegularizedModelParameters network = ((IEnumerable<ITransformer>)model).OfType<JacobianRegularizedPredictionTransformer>().Single().Model;
            using (ZipArchive archive = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                ZipArchiveEntry entry = archive.Entries.Single(e => e.Name == "OnnxModel");
                byte[] bytes;
                using (Stream stream = entry.Open())
                using (var buffer = new MemoryStream())
                {
                    stream.CopyTo(buffer);
                    bytes = buffer.ToArray();
                }

                ChangeFloat(bytes, network.Parameters[5]);
                string name = entry.FullName;
                entry.Delete();
                using Stream rewritten = archive.CreateEntry(name).Open();
                rewritten.Write(bytes);
            }

            var error = Assert.Throws<DamagedModelException>(() => JacobianRegularizedModel.Load(new MLContext(seed: 2), path, out _));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
            Assert.Throws<DamagedModelException>(() => JacobianRegularizedModel.Verify(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Verify_IntactZip_Passes()
    {
        var (context, data, model) = Trained.Value;
        string path = TemporaryPath();
        try
        {
            context.Model.Save(model, data.Schema, path);
            JacobianRegularizedModel.Verify(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OnnxRead_ExportedWeightChanged_DamagedModelException()
    {
        var architecture = new NetworkArchitecture(4, [3], 2, Activation.Tanh);
        float[] parameters = MLNetJacobian.Tests.Onnx.ReferenceClassifier.RandomParameters(architecture, seed: 5);
        byte[] bytes = OnnxClassifierWriter.ToBytes(architecture, parameters, ["a", "b"]);
        Assert.Equal(parameters, OnnxClassifierReader.Read(bytes).Parameters.ToArray());

        ChangeFloat(bytes, parameters[7]);

        Assert.Throws<DamagedModelException>(() => OnnxClassifierReader.Read(bytes));
        Assert.Throws<DamagedModelException>(() => OnnxClassifierReader.TryRead(bytes, out _, out _));
    }

    private static void ChangeFloat(byte[] bytes, float value)
    {
        byte[] pattern = BitConverter.GetBytes(value);
        int at = bytes.AsSpan().IndexOf(pattern);
        Assert.True(at >= 0, "the weight's bytes are in the graph");
        BitConverter.GetBytes(value * 1.5f + 0.25f).CopyTo(bytes, at);
    }

    /// <summary>Where the compressed data of the entry named <paramref name="name"/> lies in the file.</summary>
    private static (long Start, long Length) StoredRange(string path, string name)
    {
        byte[] file = File.ReadAllBytes(path);
        using ZipArchive archive = ZipFile.OpenRead(path);
        ZipArchiveEntry entry = archive.Entries.Single(e => e.Name == name);
        byte[] fileName = System.Text.Encoding.UTF8.GetBytes(entry.FullName);
        for (int i = 0; i + 30 < file.Length; i++)
        {
            if (file[i] != 0x50 || file[i + 1] != 0x4b || file[i + 2] != 3 || file[i + 3] != 4) continue;
            int nameLength = BitConverter.ToUInt16(file, i + 26), extraLength = BitConverter.ToUInt16(file, i + 28);
            if (nameLength == fileName.Length && file.AsSpan(i + 30, nameLength).SequenceEqual(fileName))
            {
                return (i + 30 + nameLength + extraLength, entry.CompressedLength);
            }
        }

        throw new InvalidOperationException($"no local header for {entry.FullName}");
    }

    private static string TemporaryPath() => Path.Combine(Path.GetTempPath(), $"jr-integrity-{Guid.NewGuid():N}.zip");
}
