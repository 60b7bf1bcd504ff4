using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Onnx;
using MLNetJacobian.Robustness;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

public sealed class JacobianRegularizedModelTests
{
    private const int Rows = 200;

    private static readonly Lazy<(MLContext Context, IDataView Data, ITransformer Model)> Trained = new(() =>
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 600);
        ITransformer model = context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.Transforms.NormalizeMinMax("Features"))
            .Append(context.MulticlassClassification.Trainers.JacobianRegularized(new JacobianRegularizedTrainer.Options
            {
                HiddenLayers = [16],
                NumberOfEpochs = 6,
                LearningRate = 0.1f,
                JacobianWeight = 0.01,
                Seed = 3,
                NumberOfThreads = 1,
            }))
            .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        return (context, data, model);
    });

    [Fact]
    public void Load_SavedPipeline_NetworkRestoredWithSameScores()
    {
        var (context, data, model) = Trained.Value;
        using var zip = new TemporaryZip();
        context.Model.Save(model, data.Schema, zip.Path);
        float[][] before = model.Transform(data).GetColumn<float[]>("Score").ToArray();

        var fresh = new MLContext(seed: 42);
        ITransformer loaded = JacobianRegularizedModel.Load(fresh, zip.Path, out DataViewSchema inputSchema);

        Assert.Equal(data.Schema.Select(c => (c.Name, c.Type)), inputSchema.Select(c => (c.Name, c.Type)));
        var chain = Assert.IsAssignableFrom<IEnumerable<ITransformer>>(loaded);
        JacobianRegularizedPredictionTransformer network = Assert.Single(chain.OfType<JacobianRegularizedPredictionTransformer>());
        JacobianRegularizedModelParameters original = ((IEnumerable<ITransformer>)model).OfType<JacobianRegularizedPredictionTransformer>().Single().Model;
        Assert.Equal(original.Architecture, network.Model.Architecture);
        Assert.Equal(original.Parameters.ToArray(), network.Model.Parameters.ToArray());
        Assert.Equal(original.ClassNames, network.Model.ClassNames);
        Assert.Equal("Features", network.FeatureColumnName);

        IDataView scored = loaded.Transform(TestData.Digits(fresh, take: 600));
        float[][] after = scored.GetColumn<float[]>("Score").ToArray();
        // The same ONNX graph scores both: differences are float rounding only.
        double maxDifference = before.Zip(after).Max(pair => pair.First.Zip(pair.Second).Max(v => Math.Abs(v.First - v.Second)));
        Assert.True(maxDifference < 1e-5, $"max |score before - score after| = {maxDifference}");
        Assert.Equal(model.Transform(data).GetColumn<string>("PredictedLabel"), scored.GetColumn<string>("PredictedLabel"));
    }

    [Fact]
    public void Load_SavedPipeline_EvaluateRobustnessRunsWhiteBox()
    {
        var (context, data, model) = Trained.Value;
        using var zip = new TemporaryZip();
        context.Model.Save(model, data.Schema, zip.Path);
        var fresh = new MLContext(seed: 42);
        ITransformer loaded = JacobianRegularizedModel.Load(fresh, zip.Path, out _);
        var options = new RobustnessOptions
        {
            LowerBound = 0,
            UpperBound = 1,
            Epsilons = [0.05f, 0.1f],
            Attacks = [PgdAttack.Fgsm(PerturbationNorm.LInfinity), new PgdAttack(PerturbationNorm.LInfinity, steps: 5)],
            MaxExamples = Rows,
            BisectionSteps = 0,
            Seed = 5,
        };

        RobustnessReport report = fresh.MulticlassClassification.EvaluateRobustness(loaded, TestData.Digits(fresh, take: Rows), options);

        Assert.Contains(report.Notices, n => n.Contains("white-box", StringComparison.Ordinal) && n.Contains("Jacobian-regularized network 64-16-10", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Notices, n => n.Contains("black box", StringComparison.Ordinal));
        Assert.Contains(report.Attacks, a => a.Name == "FGSM L-inf");
        Assert.True(report.GetAttack("PGD-5 L-inf").RequiresGradient);
    }

    [Fact]
    public void Load_RestoredNetwork_ExportOnnxReadsBackTheSameNetwork()
    {
        var (context, data, model) = Trained.Value;
        using var zip = new TemporaryZip();
        context.Model.Save(model, data.Schema, zip.Path);
        ITransformer loaded = JacobianRegularizedModel.Load(new MLContext(seed: 2), zip.Path, out _);
        JacobianRegularizedModelParameters network = ((IEnumerable<ITransformer>)loaded).OfType<JacobianRegularizedPredictionTransformer>().Single().Model;
        using var exported = new MemoryStream();

        network.ExportOnnx(exported);
        exported.Position = 0;
        OnnxClassifierModel read = OnnxClassifierReader.Read(exported);

        Assert.Equal(network.Parameters.ToArray(), read.Parameters.ToArray());
    }

    [Fact]
    public void Load_ZipWithoutNetwork_SameChainAsModelLoad()
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 100);
        ITransformer model = context.Transforms.Conversion.MapValueToKey("Label").Append(context.Transforms.NormalizeMinMax("Features")).Fit(data);
        using var zip = new TemporaryZip();
        context.Model.Save(model, data.Schema, zip.Path);

        ITransformer loaded = JacobianRegularizedModel.Load(new MLContext(seed: 2), zip.Path, out DataViewSchema inputSchema);

        ITransformer plain = new MLContext(seed: 2).Model.Load(zip.Path, out _);
        Assert.Equal(plain.GetType(), loaded.GetType());
        Assert.Equal(((IEnumerable<ITransformer>)plain).Select(p => p.GetType()), ((IEnumerable<ITransformer>)loaded).Select(p => p.GetType()));
        Assert.Equal(data.Schema.Select(c => c.Name), inputSchema.Select(c => c.Name));
    }

    [Fact]
    public void Load_SavedOnnxEntry_HasMlNetLengthPrefixThatIsRemoved()
    {
        var (context, data, model) = Trained.Value;
        using var zip = new TemporaryZip();
        context.Model.Save(model, data.Schema, zip.Path);
        using ZipArchive archive = ZipFile.OpenRead(zip.Path);
        ZipArchiveEntry entry = Assert.Single(archive.Entries, e => e.FullName.EndsWith("/OnnxModel", StringComparison.Ordinal));
        using var buffer = new MemoryStream();
        using (Stream stream = entry.Open()) stream.CopyTo(buffer);
        byte[] bytes = buffer.ToArray();

        byte[] onnx = JacobianRegularizedModel.OnnxBytes(bytes);

        Assert.Equal(bytes.Length - 4, onnx.Length);
        Assert.Equal(64, OnnxClassifierReader.Read(onnx).Architecture.InputSize);
        Assert.Same(onnx, JacobianRegularizedModel.OnnxBytes(onnx));
    }

    [Fact]
    public void Load_SavedBareTransformer_ReturnsTheRestoredTransformer()
    {
        var context = new MLContext(seed: 1);
        IDataView data = TestData.Digits(context, take: 50);
        var architecture = new MLNetJacobian.Network.NetworkArchitecture(64, [8], 10, MLNetJacobian.Network.Activation.Tanh);
        var parameters = new JacobianRegularizedModelParameters(architecture, Onnx.ReferenceClassifier.RandomParameters(architecture, seed: 4),
            ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        using var zip = new TemporaryZip();
        context.Model.Save(new JacobianRegularizedPredictionTransformer(context, parameters), data.Schema, zip.Path);

        ITransformer loaded = JacobianRegularizedModel.Load(new MLContext(seed: 2), zip.Path, out _);

        var network = Assert.IsType<JacobianRegularizedPredictionTransformer>(loaded);
        Assert.Equal(parameters.Parameters.ToArray(), network.Model.Parameters.ToArray());
        Assert.Equal(architecture, network.Model.Architecture);
    }

    private sealed class TemporaryZip : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"jr-load-{Guid.NewGuid():N}.zip");

        public void Dispose() => File.Delete(Path);
    }
}
