// QuickStart: a Jacobian-regularized network in an ML.NET pipeline on the embedded 8x8 digits (1,797 images, UCI,
// as shipped by scikit-learn): train, evaluate, save a standard ML.NET zip, load it back, predict one digit.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;
using QuickStart;

var clock = Stopwatch.StartNew();
var mlContext = new MLContext(seed: 1);
mlContext.Log += (_, e) =>
{
    if (e.Source.StartsWith("JacobianRegularizedTrainer", StringComparison.Ordinal) && e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info)
    {
        Console.WriteLine($"  {e.RawMessage}");
    }
};

// The embedded digits, split 80/20, as IDataViews.
var (trainSet, testSet) = DigitsDataset.Load().Split(0.8, seed: 1);
IDataView train = mlContext.Data.LoadFromEnumerable(Rows(trainSet));
IDataView test = mlContext.Data.LoadFromEnumerable(Rows(testSet));
Console.WriteLine($"Digits: {trainSet.Count} training and {testSet.Count} test images, 8 x 8 pixels.");

// The README's pipeline. The digits set is small (1,438 training rows, 23 batches an epoch), so it trains for
// 30 epochs rather than the 5 that suit MNIST's 938 batches an epoch.
var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
    .Append(mlContext.Transforms.NormalizeMinMax("Features"))
    .Append(mlContext.MulticlassClassification.Trainers.JacobianRegularized(
        labelColumnName: "Label", featureColumnName: "Features",
        hiddenLayers: new[] { 200, 200 }, jacobianWeight: 0.1f, numberOfEpochs: 30))
    .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

Console.WriteLine("Training:");
var model = pipeline.Fit(train);
IDataView scored = model.Transform(test);
MulticlassClassificationMetrics metrics = mlContext.MulticlassClassification.Evaluate(scored);
Console.WriteLine($"Test: micro accuracy {metrics.MicroAccuracy:P2}, macro accuracy {metrics.MacroAccuracy:P2}, log loss {metrics.LogLoss:F4}.");

// The network itself: mean exact ||J||_F over the test images (with respect to the normalized input it sees).
JacobianRegularizedModelParameters network = model.OfType<JacobianRegularizedPredictionTransformer>().Single().Model;
float[] normalized = model.Take(2).Aggregate(test, (view, step) => step.Transform(view)).GetColumn<float[]>("Features").SelectMany(x => x).ToArray();
var norms = new double[normalized.Length / network.FeatureCount];
network.CreateModel().ComputeJacobianFrobeniusNorms(normalized, norms.Length, norms);
double meanNorm = norms.Average();
Console.WriteLine($"Network {network.Architecture}: mean ||J||_F on the test images {meanNorm:F3}.");

// Save a standard ML.NET zip, load it in a new MLContext, and check that it predicts the same.
string path = Path.Combine(AppContext.BaseDirectory, "digits-model.zip");
mlContext.Model.Save(model, train.Schema, path);
var freshContext = new MLContext(seed: 2);
ITransformer loaded = freshContext.Model.Load(path, out _);
float[][] before = scored.GetColumn<float[]>("Score").ToArray();
float[][] after = loaded.Transform(freshContext.Data.LoadFromEnumerable(Rows(testSet))).GetColumn<float[]>("Score").ToArray();
double maxDifference = before.Zip(after).Max(pair => pair.First.Zip(pair.Second).Max(v => Math.Abs(v.First - v.Second)));
Console.WriteLine($"Saved {path} ({new FileInfo(path).Length / 1024} KB); reloaded in a new MLContext: max |score difference| {maxDifference:G3}.");

var engine = freshContext.Model.CreatePredictionEngine<DigitRow, DigitPrediction>(loaded);
DigitRow first = Rows(testSet).First();
DigitPrediction prediction = engine.Predict(first);
Console.WriteLine($"First test image: true digit {first.Label}, predicted {prediction.PredictedLabel} with probability {prediction.Score.Max():P1}.");
Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");
return maxDifference < 1e-5 ? 0 : 1;

static IEnumerable<DigitRow> Rows(LabeledDataset data) =>
    Enumerable.Range(0, data.Count).Select(i => new DigitRow { Features = data.Row(i).ToArray(), Label = data.ClassNames[data.Labels[i]] });
