using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using MLNetJacobian.Data;

namespace MLNetJacobian.Tests.Analysis;

/// <summary>
/// The embedded digits (scaled to [0, 1]) as ML.NET data, and two small ML.NET models trained on them once per test
/// run: maximum entropy (L-BFGS) and LightGbm. Shared by the analysis tests.
/// </summary>
internal sealed class DigitsModels
{
    private static readonly Lazy<DigitsModels> Shared = new(() => new DigitsModels());

    private DigitsModels()
    {
        Context = new MLContext(seed: 1);
        (Train, Test) = DigitsDataset.Load(scaleToUnitInterval: true).Split(0.8, seed: 3);
        TrainView = ToKeyedView(Context, Train);
        TestView = ToKeyedView(Context, Test);
        MaximumEntropy = Context.MulticlassClassification.Trainers
            .LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options { MaximumNumberOfIterations = 100, NumberOfThreads = 1 })
            .Fit(TrainView);
        LightGbm = Context.MulticlassClassification.Trainers
            .LightGbm(new LightGbmMulticlassTrainer.Options { NumberOfIterations = 40, NumberOfLeaves = 8, NumberOfThreads = 1, Seed = 1 })
            .Fit(TrainView);
    }

    public static DigitsModels Instance => Shared.Value;

    public MLContext Context { get; }

    public LabeledDataset Train { get; }

    public LabeledDataset Test { get; }

    /// <summary>Features (vector of 64) and Label (key over "0".."9").</summary>
    public IDataView TrainView { get; }

    /// <summary>Features (vector of 64) and Label (key over "0".."9").</summary>
    public IDataView TestView { get; }

    public MulticlassPredictionTransformer<MaximumEntropyModelParameters> MaximumEntropy { get; }

    public ITransformer LightGbm { get; }

    /// <summary>An ML.NET data view of a labeled data set: Features (vector of D floats), Label (key over the class names).</summary>
    public static IDataView ToKeyedView(MLContext context, LabeledDataset data)
    {
        var rows = new DigitRow[data.Count];
        for (int i = 0; i < data.Count; i++) rows[i] = new DigitRow { Features = data.Row(i).ToArray(), Label = data.ClassNames[data.Labels[i]] };
        SchemaDefinition schema = SchemaDefinition.Create(typeof(DigitRow));
        schema[nameof(DigitRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, data.FeatureCount);
        IDataView raw = context.Data.LoadFromEnumerable(rows, schema);
        return context.Transforms.Conversion.MapValueToKey("Label", keyData: context.Data.LoadFromEnumerable(data.ClassNames.Select(n => new KeyRow { Label = n })))
            .Fit(raw).Transform(raw);
    }

    private sealed class DigitRow
    {
        public float[] Features { get; set; } = [];

        public string Label { get; set; } = "";
    }

    private sealed class KeyRow
    {
        public string Label { get; set; } = "";
    }
}
