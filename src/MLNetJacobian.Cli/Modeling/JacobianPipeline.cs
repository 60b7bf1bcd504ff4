using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Cli.Output;
using MLNetJacobian.Trainers;
using MLNetJacobian.Training;
using Spectre.Console;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>
/// Fits <c>[normalizer ->] MapValueToKey(Label) -> JacobianRegularized -> MapKeyToValue(PredictedLabel)</c>, showing
/// the trainer's log lines on the console while it runs. The model returned (and saved) is the normalizer (with
/// <c>--normalize</c>), the trainer's transformer and the <c>MapKeyToValue</c>: it needs only the raw feature column to score.
/// </summary>
internal static class JacobianPipeline
{
    /// <summary>The source name of the trainer's log messages.</summary>
    private const string TrainerLogSource = nameof(JacobianRegularizedTrainer);

    /// <summary>Trains one model.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="data">The data; trains on its training part.</param>
    /// <param name="options">The trainer's options.</param>
    /// <param name="normalization">The normalizer to fit on the training rows and put in front of the network.</param>
    /// <param name="validationFraction">When set, this fraction of the training rows is held out as validation data.</param>
    /// <param name="seed">The seed of the validation split.</param>
    /// <param name="name">The model's name for the console.</param>
    /// <param name="console">The console.</param>
    public static TrainedModel Train(MLContext context, LoadedData data, JacobianRegularizedOptions options, InputNormalization normalization, double? validationFraction,
        int seed, string name, IAnsiConsole console)
    {
        Commands.TrainerSettings.FitImageShape(options, data);
        if (data.Task != LearningTask.Multiclass) return TrainOneOutput(context, data, options, normalization, validationFraction, seed, name, console);
        if (data.ClassNames.Count < 2)
        {
            string classes = string.Join(", ", data.ClassNames.Select(c => $"'{c}'"));
            throw CliException.InvalidData($"{data.Source}: the label holds {data.ClassNames.Count} class ({classes}); training a classifier needs at least 2.");
        }

        ValueToKeyMappingTransformer keys = context.Transforms.Conversion
            .MapValueToKey(LoadedData.LabelColumnName, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(data.Train);
        FittedNormalization? normalizer = Guard.Data(() => normalization.Fit(context, data.Train, data.FeatureCount));
        IDataView train = normalizer is null ? data.Train : normalizer.Transformer.Transform(data.Train);
        IDataView? validation = null;
        if (validationFraction is double fraction)
        {
            DataOperationsCatalog.TrainTestData split = context.Data.TrainTestSplit(data.Train, fraction, seed: seed);
            train = split.TrainSet;
            validation = keys.Transform(split.TestSet);
        }

        IDataView keyedTrain = keys.Transform(train);
        JacobianRegularizedTrainer trainer = WithFlags(() => new JacobianRegularizedTrainer(context, (JacobianRegularizedTrainer.Options)options));
        var stopwatch = Stopwatch.StartNew();
        JacobianRegularizedPredictionTransformer fitted = Fit(context, console, name, () => validation is null ? trainer.Fit(keyedTrain) : trainer.Fit(keyedTrain, validation));
        stopwatch.Stop();
        // The saved model scores from the features alone: the label's key mapping is a training step, not part of it.
        KeyToValueMappingTransformer values = context.Transforms.Conversion.MapKeyToValue(ModelColumns.PredictedLabel).Fit(fitted.Transform(keyedTrain));
        // With a normalizer it is the first step: the zip scores raw features.
        var model = normalizer is null ? new TransformerChain<ITransformer>(fitted, values) : new TransformerChain<ITransformer>(normalizer.Transformer, fitted, values);
        return new TrainedModel(name, model, data.ModelInputSchema, fitted.Model, stopwatch.Elapsed, normalizer, Featurizer: data.Featurizer);
    }

    /// <summary>
    /// Trains a binary classifier (Boolean label) or a regressor (Single label): <c>[normalizer -&gt;] JacobianRegularized</c>,
    /// the one-output network's Score (and Probability, PredictedLabel) as ML.NET's binary and regression trainers give them.
    /// </summary>
    private static TrainedModel TrainOneOutput(MLContext context, LoadedData data, JacobianRegularizedOptions options, InputNormalization normalization,
        double? validationFraction, int seed, string name, IAnsiConsole console)
    {
        FittedNormalization? normalizer = Guard.Data(() => normalization.Fit(context, data.Train, data.FeatureCount));
        IDataView train = normalizer is null ? data.Train : normalizer.Transformer.Transform(data.Train);
        IDataView? validation = null;
        if (validationFraction is double fraction)
        {
            DataOperationsCatalog.TrainTestData split = context.Data.TrainTestSplit(train, fraction, seed: seed);
            train = split.TrainSet;
            validation = split.TestSet;
        }

        JacobianRegularizedTrainerBase<JacobianRegularizedOneOutputPredictionTransformer> trainer = WithFlags<JacobianRegularizedTrainerBase<JacobianRegularizedOneOutputPredictionTransformer>>(() =>
            data.Task == LearningTask.Binary
                ? new JacobianRegularizedBinaryTrainer(context, (JacobianRegularizedBinaryTrainer.Options)options)
                : new JacobianRegularizedRegressionTrainer(context, (JacobianRegularizedRegressionTrainer.Options)options));
        var stopwatch = Stopwatch.StartNew();
        JacobianRegularizedOneOutputPredictionTransformer fitted = Fit(context, console, name, () => validation is null ? trainer.Fit(train) : trainer.Fit(train, validation));
        stopwatch.Stop();
        ITransformer model = normalizer is null ? new TransformerChain<ITransformer>(fitted) : new TransformerChain<ITransformer>(normalizer.Transformer, fitted);
        return new TrainedModel(name, model, data.ModelInputSchema, null, stopwatch.Elapsed, normalizer, fitted.Model, data.Featurizer);
    }

    /// <summary>Runs a trainer's fit under <see cref="RunShowingLog"/>: divergence is a failure, data errors invalid data, options only the data can check invalid arguments.</summary>
    private static T Fit<T>(MLContext context, IAnsiConsole console, string name, Func<T> fit)
    {
        try
        {
            return RunShowingLog(context, console, name, () => Guard.Data(fit));
        }
        catch (TrainingDivergedException exception)
        {
            throw new CliException(ExitCode.Failure, Guard.OneLine(exception.Message), exception);
        }
        catch (CliException exception) when (exception.InnerException is ArgumentException { ParamName: "options" })
        {
            // The options only the data can check (layers that do not fit the image): the trainer's words under the tool's flags.
            throw new CliException(ExitCode.InvalidArguments, Commands.TrainerSettings.WithFlags(exception.Message), exception.InnerException);
        }
    }

    /// <summary>Creates a trainer; its option errors under the tool's flags.</summary>
    private static T WithFlags<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException exception)
        {
            throw new CliException(ExitCode.InvalidArguments, Commands.TrainerSettings.WithFlags(Guard.OneLine(exception.Message)), exception);
        }
    }

    /// <summary>
    /// Runs <paramref name="fit"/> under a spinner whose text is the trainer's latest log line (the epoch metrics), and
    /// prints one line when it is done.
    /// </summary>
    public static T RunShowingLog<T>(MLContext context, IAnsiConsole console, string name, Func<T> fit)
    {
        T result = default!;
        var stopwatch = Stopwatch.StartNew();
        console.Status().Spinner(Spinner.Known.Dots).Start($"Training {Markup.Escape(name)}...", status =>
        {
            void Show(object? sender, LoggingEventArgs e)
            {
                if (e.Kind == ChannelMessageKind.Info && e.Source.StartsWith(TrainerLogSource, StringComparison.Ordinal))
                {
                    status.Status($"Training {Markup.Escape(name)}: {Markup.Escape(e.RawMessage)}");
                }
            }

            context.Log += Show;
            try
            {
                result = fit();
            }
            finally
            {
                context.Log -= Show;
            }
        });
        console.MarkupLine($"Trained {Markup.Escape(name)} in {ConsoleTables.Seconds(stopwatch.Elapsed)}.");
        return result;
    }
}
