using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Cli.Output;
using Spectre.Console;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>
/// Fits one of ML.NET's multiclass trainers the way <see cref="JacobianPipeline"/> fits the network: the label mapped
/// to a key for training, the saved model the predictor and <c>MapKeyToValue(PredictedLabel)</c>.
/// </summary>
internal static class BaselinePipeline
{
    /// <summary>Trains <paramref name="trainer"/> on the training part of <paramref name="data"/>.</summary>
    public static TrainedModel Train(MLContext context, LoadedData data, BaselineTrainer trainer, int threads, IAnsiConsole console)
    {
        ValueToKeyMappingTransformer keys = context.Transforms.Conversion
            .MapValueToKey(LoadedData.LabelColumnName, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(data.Train);
        IDataView keyed = keys.Transform(data.Train);
        string name = trainer.ToString();
        var stopwatch = Stopwatch.StartNew();
        ITransformer predictor = null!;
        console.Status().Spinner(Spinner.Known.Dots).Start($"Training {name}...", _ => predictor = Guard.Data(() => Fit(context, trainer, keyed, threads)));
        stopwatch.Stop();
        console.MarkupLine($"Trained {name} in {ConsoleTables.Seconds(stopwatch.Elapsed)}.");
        KeyToValueMappingTransformer values = context.Transforms.Conversion.MapKeyToValue(ModelColumns.PredictedLabel).Fit(predictor.Transform(keyed));
        return new TrainedModel(name, new TransformerChain<ITransformer>(predictor, values), FeatureSchema.Of(data.Train.Schema), null, stopwatch.Elapsed);
    }

    /// <summary>The linear predictor of a baseline model, when it has one (its weights give exact logit Jacobians).</summary>
    public static LinearMulticlassModelParametersBase? LinearPredictorOf(ITransformer model) =>
        model is TransformerChain<ITransformer> chain
            ? chain.OfType<IPredictionTransformer<LinearMulticlassModelParametersBase>>().Select(p => p.Model).FirstOrDefault()
            : null;

    private static ITransformer Fit(MLContext context, BaselineTrainer trainer, IDataView keyed, int threads)
    {
        const string label = LoadedData.LabelColumnName, features = LoadedData.FeatureColumnName;
        return trainer switch
        {
            BaselineTrainer.LbfgsMaximumEntropy => context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(label, features).Fit(keyed),
            BaselineTrainer.SdcaMaximumEntropy => context.MulticlassClassification.Trainers.SdcaMaximumEntropy(label, features).Fit(keyed),
            _ => context.MulticlassClassification.Trainers.LightGbm(new Microsoft.ML.Trainers.LightGbm.LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = label,
                FeatureColumnName = features,
                NumberOfThreads = threads,
                Seed = 1,
            }).Fit(keyed),
        };
    }
}
