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
    /// <summary>The baselines that serve <paramref name="task"/>.</summary>
    public static IReadOnlyList<BaselineTrainer> For(LearningTask task) => task switch
    {
        LearningTask.Binary => [BaselineTrainer.LbfgsLogisticRegression, BaselineTrainer.SdcaLogisticRegression, BaselineTrainer.FastTree, BaselineTrainer.LightGbm],
        LearningTask.Regression => [BaselineTrainer.Sdca, BaselineTrainer.FastTree, BaselineTrainer.LightGbm],
        _ => [BaselineTrainer.LbfgsMaximumEntropy, BaselineTrainer.SdcaMaximumEntropy, BaselineTrainer.LightGbm],
    };

    /// <summary>
    /// Fails unless every baseline serves <paramref name="task"/>; the default baseline (none given) is the task's first.
    /// </summary>
    public static IReadOnlyList<BaselineTrainer> Check(IReadOnlyList<BaselineTrainer> given, bool defaulted, LearningTask task)
    {
        IReadOnlyList<BaselineTrainer> serving = For(task);
        if (defaulted) return [serving[0]];
        foreach (BaselineTrainer baseline in given)
        {
            if (!serving.Contains(baseline))
            {
                throw CliException.InvalidArgument($"--baseline {baseline} does not train a {TaskMetrics.Describe(task)}; for this {task.ToString().ToLowerInvariant()} task choose {string.Join(", ", serving)}.");
            }
        }

        return given;
    }

    /// <summary>Trains <paramref name="trainer"/> on the training part of <paramref name="data"/>.</summary>
    public static TrainedModel Train(MLContext context, LoadedData data, BaselineTrainer trainer, int threads, IAnsiConsole console)
    {
        if (data.Task != LearningTask.Multiclass) return TrainOneOutput(context, data, trainer, threads, console);
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
        return new TrainedModel(name, new TransformerChain<ITransformer>(predictor, values), data.ModelInputSchema, null, stopwatch.Elapsed, Featurizer: data.Featurizer);
    }

    /// <summary>A binary or regression baseline on the Boolean or Single label as loaded.</summary>
    private static TrainedModel TrainOneOutput(MLContext context, LoadedData data, BaselineTrainer trainer, int threads, IAnsiConsole console)
    {
        const string label = LoadedData.LabelColumnName, features = LoadedData.FeatureColumnName;
        string name = trainer.ToString();
        var stopwatch = Stopwatch.StartNew();
        ITransformer predictor = null!;
        IEstimator<ITransformer> estimator = (data.Task, trainer) switch
        {
            (LearningTask.Binary, BaselineTrainer.LbfgsLogisticRegression) => context.BinaryClassification.Trainers.LbfgsLogisticRegression(label, features),
            (LearningTask.Binary, BaselineTrainer.SdcaLogisticRegression) => context.BinaryClassification.Trainers.SdcaLogisticRegression(label, features),
            (LearningTask.Binary, BaselineTrainer.FastTree) => context.BinaryClassification.Trainers.FastTree(label, features),
            (LearningTask.Binary, _) => context.BinaryClassification.Trainers.LightGbm(new Microsoft.ML.Trainers.LightGbm.LightGbmBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = threads, Seed = 1,
            }),
            (_, BaselineTrainer.Sdca) => context.Regression.Trainers.Sdca(label, features),
            (_, BaselineTrainer.FastTree) => context.Regression.Trainers.FastTree(label, features),
            _ => context.Regression.Trainers.LightGbm(new Microsoft.ML.Trainers.LightGbm.LightGbmRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = threads, Seed = 1,
            }),
        };
        bool linear = trainer is BaselineTrainer.LbfgsLogisticRegression or BaselineTrainer.SdcaLogisticRegression or BaselineTrainer.Sdca;
        if (linear)
        {
            // As ML.NET's samples do: linear trainers converge slowly (SDCA: minutes) on features of very different scales.
            estimator = context.Transforms.NormalizeMinMax(features).Append(estimator);
            name += " (min-max normalized)";
        }

        console.Status().Spinner(Spinner.Known.Dots).Start($"Training {name}...", _ => predictor = Guard.Data(() => estimator.Fit(data.Train)));
        stopwatch.Stop();
        console.MarkupLine($"Trained {name} in {ConsoleTables.Seconds(stopwatch.Elapsed)}.");
        return new TrainedModel(name, predictor, data.ModelInputSchema, null, stopwatch.Elapsed, Featurizer: data.Featurizer);
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
