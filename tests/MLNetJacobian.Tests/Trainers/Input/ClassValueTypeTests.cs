using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>
/// PredictedLabel keeps the label's key value type, as ML.NET's own multiclass trainers do: a Single label maps back
/// to Single through MapKeyToValue, in process, after mlContext.Model.Load and after JacobianRegularizedModel.Load.
/// </summary>
public sealed class ClassValueTypeTests
{
    [Fact]
    public void MapKeyToValue_SingleLabel_SingleLikeLbfgsMaximumEntropy_ThroughSaveAndLoad()
    {
        var context = new MLContext(seed: 1);
        IDataView data = SingleLabelDigits(context, 300);
        var trainer = context.MulticlassClassification.Trainers.JacobianRegularized(new JacobianRegularizedTrainer.Options
        {
            HiddenLayers = [16],
            NumberOfEpochs = 3,
            LearningRate = 0.1,
            Seed = 2,
            NumberOfThreads = 1,
        });
        var pipeline = context.Transforms.Conversion.MapValueToKey("Label").Append(trainer)
            .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var reference = context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.MulticlassClassification.Trainers.LbfgsMaximumEntropy())
            .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        ITransformer model = pipeline.Fit(data);
        DataViewType expected = reference.Fit(data).Transform(data).Schema["PredictedLabel"].Type;
        Assert.Equal(NumberDataViewType.Single, expected);
        Assert.Equal(expected, model.Transform(data).Schema["PredictedLabel"].Type);

        float[] inProcess = Predictions(context, model);
        using var stream = new MemoryStream();
        context.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var other = new MLContext(seed: 5);
        ITransformer plain = other.Model.Load(stream, out _);
        Assert.Equal(expected, plain.Transform(SingleLabelDigits(other, 300)).Schema["PredictedLabel"].Type);
        Assert.Equal(inProcess, Predictions(other, plain));

        string path = Path.Combine(Path.GetTempPath(), $"jr-single-{Guid.NewGuid():N}.zip");
        try
        {
            context.Model.Save(model, data.Schema, path);
            ITransformer restored = JacobianRegularizedModel.Load(other, path, out _);
            JacobianRegularizedPredictionTransformer network = ((IEnumerable<ITransformer>)restored).OfType<JacobianRegularizedPredictionTransformer>().Single();
            Assert.Equal(NumberDataViewType.Single, network.Model.ClassValueType);
            Assert.Equal(inProcess, Predictions(other, restored));
        }
        finally
        {
            File.Delete(path);
        }

        Assert.True(inProcess.Distinct().Count() >= 5, "the model separates the digits");
    }

    [Fact]
    public void Constructor_ClassNameNotOfTheValueType_ArgumentException()
    {
        var architecture = new MLNetJacobian.Network.NetworkArchitecture(2, [], 2, MLNetJacobian.Network.Activation.Relu);
        var error = Assert.Throws<ArgumentException>(() =>
            new JacobianRegularizedModelParameters(architecture, new float[6], ["1", "seven"], NumberDataViewType.Single));
        Assert.Contains("'seven'", error.Message, StringComparison.Ordinal);
    }

    private static float[] Predictions(MLContext context, ITransformer model)
    {
        var engine = context.Model.CreatePredictionEngine<SingleLabelRow, SinglePrediction>(model, inputSchemaDefinition: Definition());
        return SingleLabelRows(40).Select(row => engine.Predict(row).PredictedLabel).ToArray();
    }

    private static IDataView SingleLabelDigits(MLContext context, int count) =>
        context.Data.LoadFromEnumerable(SingleLabelRows(count), Definition());

    private static SingleLabelRow[] SingleLabelRows(int count)
    {
        LabeledDataset digits = DigitsDataset.Load(scaleToUnitInterval: true);
        return Enumerable.Range(0, count)
            .Select(i => new SingleLabelRow { Features = digits.Row(i).ToArray(), Label = float.Parse(digits.ClassNames[digits.Labels[i]], System.Globalization.CultureInfo.InvariantCulture) })
            .ToArray();
    }

    private static SchemaDefinition Definition()
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(SingleLabelRow));
        definition[nameof(SingleLabelRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 64);
        return definition;
    }

    /// <summary>A digit with a Single label.</summary>
    public sealed class SingleLabelRow
    {
        /// <summary>The pixels.</summary>
        public float[] Features { get; set; } = [];

        /// <summary>The digit, as a number.</summary>
        public float Label { get; set; }
    }

    /// <summary>A prediction with the label's own type.</summary>
    public sealed class SinglePrediction
    {
        /// <summary>The predicted digit.</summary>
        public float PredictedLabel { get; set; }
    }
}
