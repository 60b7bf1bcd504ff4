// Regenerates the figures and tables in docs/images/analysis-digits from the embedded digits:
//   dotnet run -c Release --project docs/images/analysis-digits/generator [output folder]
// Three MLPs 64-100-100-10 (ReLU) trained with this library's engine at lambda = 0, 0.01 and 0.1, and an ML.NET
// LightGbm model, compared on the same test digits and the same planes. Takes a few minutes on two cores.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using MLNetJacobian.Analysis;
using MLNetJacobian.Compute;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Training;
using MLNetJacobian.Plotting;
using MLNetJacobian.Models;
using MLNetJacobian.Trainers;

string output = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "../../../..");
var context = new MLContext(seed: 1);
var (train, test) = DigitsDataset.Load(scaleToUnitInterval: true).Split(0.8, seed: 3);

var models = new List<(string Name, IModel Model)>();
foreach (double lambda in new[] { 0.0, 0.01, 0.1 })
{
    var network = FeedForwardNetwork<float>.Create(new NetworkArchitecture(64, [100, 100], 10, Activation.Relu), WeightInitializer.XavierUniform, new Random(7));
    var objective = new JacobianRegularizedObjective<float>(network, new ManagedGemmProvider(), 32, new JacobianPenaltyOptions(lambda, ProjectionCount: 1));
    TrainingHistory history = new NetworkTrainer<float>().Train(network.Parameters, objective, InMemoryTrainingData<float>.FromDataset(train), null, null,
        JacobianRegularizedTrainer.EngineOptions(new() { NumberOfEpochs = 30, BatchSize = 32, LearningRate = 0.02 }), new Random(11), null);
    Console.WriteLine(FormattableString.Invariant($"lambda {lambda}: training cross-entropy {history.Epochs[^1].DataLoss:F4}, accuracy {history.Epochs[^1].TrainingAccuracy:F4}"));
    var classifier = new NetworkModel<float>(network, train.ClassNames);
    models.Add((string.Create(CultureInfo.InvariantCulture, $"MLP, lambda = {lambda}"), classifier));
}

IDataView trainView = ToView(train);
ITransformer lightGbm = context.MulticlassClassification.Trainers
    .LightGbm(new LightGbmMulticlassTrainer.Options { NumberOfIterations = 100, NumberOfLeaves = 16, Seed = 1 })
    .Fit(trainView);
models.Add(("LightGbm", new TransformerModel(lightGbm, 64)));

ModelComparisonReport report = ModelComparison.Run(models, test, new ModelComparison.Options
{
    FigureExamples = [0, 5, 11],
    MapRadius = 4,
    MapResolution = 161,
    StatisticsExamples = test.Count,
    Boundary = new DecisionBoundaryDistance.Options { MaxRadius = 8, MaxExamples = 200, RandomDirectionCount = 8, Seed = 1 },
});
report.Save(output, overwrite: true);
report.SaveFigures(output, new DecisionCellFigureOptions { PanelSize = 260, ImageShape = new ImageShape(1, 8, 8) }, overwrite: true);
Console.WriteLine(report);

IDataView ToView(LabeledDataset data)
{
    var rows = Enumerable.Range(0, data.Count).Select(i => new DigitRow { Features = data.Row(i).ToArray(), Label = data.ClassNames[data.Labels[i]] }).ToArray();
    SchemaDefinition schema = SchemaDefinition.Create(typeof(DigitRow));
    schema[nameof(DigitRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, data.FeatureCount);
    IDataView raw = context.Data.LoadFromEnumerable(rows, schema);
    IDataView keys = context.Data.LoadFromEnumerable(data.ClassNames.Select(n => new KeyRow { Label = n }));
    return context.Transforms.Conversion.MapValueToKey("Label", keyData: keys).Fit(raw).Transform(raw);
}

internal sealed class DigitRow
{
    public float[] Features { get; set; } = [];

    public string Label { get; set; } = "";
}

internal sealed class KeyRow
{
    public string Label { get; set; } = "";
}
