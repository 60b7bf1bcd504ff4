using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetJacobian.Compute;
using MLNetJacobian.Models;
using MLNetJacobian.Network;
using MLNetJacobian.Training;

namespace MLNetJacobian.Trainers;

/// <summary>
/// What every Jacobian-regularized trainer does, whatever its task: validate the options and the schema, stream the
/// rows (<see cref="DataViewTrainingData"/>), build the network, train it with <see cref="NetworkTrainer{T}"/> on the
/// objective <c>sum_i w_i (loss(z_i, y_i) + (lambda/2) ||J(x_i)||^2) / sum_i w_i</c>
/// (<see cref="JacobianRegularizedObjective{T}"/>), log to <c>MLContext.Log</c>, and wrap the result. Each task
/// (multiclass, binary, regression) adds only its label check, its loss and output count, and its transformer.
/// </summary>
/// <typeparam name="TTransformer">The fitted transformer.</typeparam>
public abstract class JacobianRegularizedTrainerBase<TTransformer> : IEstimator<TTransformer> where TTransformer : class, ITransformer
{
    private readonly IHostEnvironment _environment;
    private readonly MLContext? _context;
    private readonly JacobianRegularizedOptions _options;

    private protected JacobianRegularizedTrainerBase(IHostEnvironment environment, MLContext? context, JacobianRegularizedOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _environment = environment;
        _context = context;
        _options = options;
    }

    /// <summary>Trains on <paramref name="input"/> and returns the fitted transformer.</summary>
    /// <param name="input">The training data.</param>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type (the message names it and says how to fix it).</exception>
    /// <exception cref="InvalidDataException">A row holds an invalid value (the message names the row and column).</exception>
    /// <exception cref="TrainingDivergedException">Training diverged; no model is returned.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public TTransformer Fit(IDataView input) => Train(input, null, null);

    /// <summary>
    /// Trains on <paramref name="trainData"/>, measuring <paramref name="validationData"/> after every epoch (its loss,
    /// and accuracy for classifiers, reach the log and the training history) and using it for early stopping when
    /// <see cref="JacobianRegularizedOptions.EarlyStoppingPatience"/> is set.
    /// </summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="validationData">Validation data with the training data's schema.</param>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, or the two schemas differ.</exception>
    /// <exception cref="InvalidDataException">A row holds an invalid value (the message names the row and column).</exception>
    /// <exception cref="TrainingDivergedException">Training diverged; no model is returned.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public TTransformer Fit(IDataView trainData, IDataView validationData)
    {
        ArgumentNullException.ThrowIfNull(validationData);
        return Train(trainData, validationData, null);
    }

    /// <summary>The output shape: the input columns plus the task's output columns. Checks the label, feature and weight columns first.</summary>
    /// <param name="inputSchema">The shape of the training data.</param>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckLabelShape(SchemaShapeChecks.Find(inputSchema, _options.LabelColumnName, "label"));
        SchemaShapeChecks.CheckFeaturesAndWeights(inputSchema, _options);
        return OutputShape(ChainContext(), inputSchema);
    }

    /// <summary>The options the trainer was created with.</summary>
    internal JacobianRegularizedOptions Settings => _options;

    /// <summary>The label column's name.</summary>
    private protected string LabelColumnName => _options.LabelColumnName;

    /// <summary>The feature column's name.</summary>
    private protected string FeatureColumnName => _options.FeatureColumnName;

    /// <summary>How the data's label becomes the targets.</summary>
    private protected abstract ModelTask ModelTask { get; }

    /// <summary>Throws (an <see cref="ArgumentException"/> naming the column) unless the label's shape fits the task.</summary>
    private protected abstract void CheckLabelShape(SchemaShape.Column label);

    /// <summary>The output shape for <paramref name="inputShape"/>.</summary>
    private protected abstract SchemaShape OutputShape(MLContext context, SchemaShape inputShape);

    /// <summary>
    /// Checks the measured labels, sets the targets' scaling, and returns the network's output count, the loss and how
    /// the trained parameters become the transformer.
    /// </summary>
    private protected abstract TaskSetup Prepare(DataViewSchema.Column label, DataViewTrainingData train, DataViewTrainingData? validation);

    /// <summary>What a task contributes to a training run.</summary>
    /// <param name="OutputCount">The network's number of outputs.</param>
    /// <param name="Loss">The head and data loss.</param>
    /// <param name="Description">A phrase for the log, e.g. "squared error on standardized labels (mean 11.2, standard deviation 8.1)"; empty for none.</param>
    /// <param name="CreateTransformer">Wraps the trained network: context, architecture, parameters and history.</param>
    private protected sealed record TaskSetup(int OutputCount, OutputLoss Loss, string Description,
        Func<MLContext, NetworkArchitecture, float[], TrainingHistory, TTransformer> CreateTransformer);

    /// <summary>The context that builds the scoring chain: the user's, or a private one when created from a catalog.</summary>
    private protected MLContext ChainContext() => _context ?? new MLContext(seed: 0);

    /// <summary>
    /// Trains; with <paramref name="warmStart"/>, the network starts from the parameters it returns for the architecture
    /// and label of this run (it throws when they do not fit) instead of a random initialization.
    /// </summary>
    private protected TTransformer Train(IDataView trainData, IDataView? validationData,
        Func<NetworkArchitecture, DataViewSchema.Column, float[]>? warmStart)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        JacobianRegularizedOptions options = _options;
        if (validationData is null && options.EarlyStoppingPatience is int patience)
        {
            throw new ArgumentException(
                $"Options.EarlyStoppingPatience is {patience}, but no validation data was given; call Fit(trainData, validationData).", nameof(validationData));
        }

        DataViewSchema.Column featureColumn = SchemaChecks.FeatureColumn(trainData.Schema, options.FeatureColumnName, null, nameof(trainData));
        ImageShape? imageShape = SchemaChecks.ImageShape(featureColumn, options.ImageShape, nameof(options.ImageShape));
        DataViewSchema.Column label = SchemaChecks.LabelColumn(ModelTask, trainData.Schema, options.LabelColumnName, nameof(trainData));
        if (options.ExampleWeightColumnName is { } weightName) SchemaChecks.WeightColumn(trainData.Schema, weightName, nameof(trainData));
        if (validationData is not null)
        {
            SchemaChecks.SameSchema(trainData.Schema, validationData.Schema, options.FeatureColumnName, options.LabelColumnName,
                options.ExampleWeightColumnName, nameof(validationData));
        }

        using var trainRows = new DataViewTrainingData(trainData, options.FeatureColumnName, options.LabelColumnName, ModelTask,
            options.ExampleWeightColumnName, options.SkipRowsWithNonFiniteFeatures, SkipNonFiniteLabels, options.ShuffleWindowSize, "training data");

        using DataViewTrainingData? validationRows = validationData is null ? null : new DataViewTrainingData(validationData, options.FeatureColumnName,
            options.LabelColumnName, ModelTask, options.ExampleWeightColumnName, options.SkipRowsWithNonFiniteFeatures, SkipNonFiniteLabels,
            options.ShuffleWindowSize, "validation data");
        TaskSetup task = Prepare(label, trainRows, validationRows);

        IHost host = _environment.Register(GetType().Name);
        using IChannel channel = host.Start("Training");
        int seed = options.Seed ?? host.Rand.Next();
        int threads = options.NumberOfThreads ?? System.Environment.ProcessorCount;
        NetworkArchitecture architecture = Architecture(options, trainRows.FeatureCount, imageShape, task.OutputCount);
        var random = new Random(seed);
        FeedForwardNetwork<float> network = warmStart is null
            ? FeedForwardNetwork<float>.Create(architecture, options.WeightInitializer, options.BiasInitializer, random)
            : FeedForwardNetwork<float>.FromParameters(architecture, warmStart(architecture, label));
        IGemmProvider gemm = TrainingGemm.Create(threads);
        JacobianPenaltyOptions penalty = options.ToPenaltyOptions();
        // The batch-parallel step: row shards with one-thread GEMMs, or GEMM-level threads for batches too small to shard.
        var objective = new ShardedObjective<float>(threads, options.BatchSize,
            (shardGemm, shardRows) => new JacobianRegularizedObjective<float>(network, shardGemm, shardRows, penalty, task.Loss));
        NetworkEvaluatorScorer<float>? scorer = validationRows is null
            ? null
            : new NetworkEvaluatorScorer<float>(new NetworkEvaluator<float>(network, options.BatchSize, threads, jacobians: false));
        channel.Info(MessageSensitivity.None, Describe(architecture, task, trainRows, validationRows, seed, gemm)
            + (warmStart is null ? string.Empty : " Starting from the given network's weights (warm start)."));

        TrainingHistory history = new NetworkTrainer<float>().Train(network.Parameters, objective, trainRows, validationRows, scorer,
            options.ToEngineOptions() with { Threads = threads }, random, new ChannelEpochLogger(channel, options.NumberOfEpochs, task.Loss.Name));
        if (history.StoppedEarly)
        {
            channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
                $"Stopped early after epoch {history.Epochs.Count}; the model holds the parameters of epoch {history.ParametersFromEpoch}."));
        }

        return task.CreateTransformer(ChainContext(), architecture, network.Parameters.ToArray(), history);
    }

    /// <summary>
    /// The network: <see cref="JacobianRegularizedOptions.Layers"/> on the image (or the flat features) when given, else the
    /// multilayer perceptron of <see cref="JacobianRegularizedOptions.HiddenLayers"/> and <see cref="JacobianRegularizedOptions.Activation"/>;
    /// <paramref name="outputCount"/> outputs.
    /// </summary>
    private static NetworkArchitecture Architecture(JacobianRegularizedOptions options, int featureCount, ImageShape? imageShape, int outputCount)
    {
        if (options.Layers is null) return new NetworkArchitecture(featureCount, options.HiddenLayers, outputCount, options.Activation);
        try
        {
            return imageShape is null
                ? new NetworkArchitecture(featureCount, options.Layers, outputCount)
                : new NetworkArchitecture(imageShape, options.Layers, outputCount);
        }
        catch (ArgumentException exception)
        {
            string input = imageShape is null ? $"{featureCount} flat features (no image shape: set Options.ImageShape)" : $"the image {imageShape}";
            throw new ArgumentException($"Options.Layers does not fit {input}: {exception.Message.Split(" (Parameter")[0]}", "options", exception);
        }
    }

    /// <summary>Whether rows with a non-finite label are skipped (regression's option); false for the other tasks.</summary>
    private protected virtual bool SkipNonFiniteLabels => false;

    private string Describe(NetworkArchitecture architecture, TaskSetup task, DataViewTrainingData train, DataViewTrainingData? validation, int seed,
        IGemmProvider gemm)
    {
        JacobianRegularizedOptions o = _options;
        long skippedLabels = train.MissingLabelRowCount + train.NonFiniteLabelRowCount;
        string labelProblem = ModelTask == ModelTask.MulticlassClassification ? "a missing label" : "a non-finite label";
        string skipped = skippedLabels + train.NonFiniteFeatureRowCount == 0
            ? string.Empty
            : $" ({skippedLabels} rows with {labelProblem} and {train.NonFiniteFeatureRowCount} with non-finite features skipped)";
        string penalty = task.OutputCount == 1 ? "exact ||J|| (one output)" : o.UseExactJacobianNorm ? "exact ||J||_F" : $"{o.NumberOfProjections} projection(s)";
        string validating = validation is null ? string.Empty : $", validating on {validation.RowCount} rows";
        string loss = task.Description.Length == 0 ? string.Empty : $", {task.Description}";
        string shuffling = train.ShufflesThroughDataView ? "through the data view" : $"with a window of {o.ShuffleWindowSize} rows";
        return string.Create(CultureInfo.InvariantCulture,
            $"Training {architecture} on {train.RowCount} rows{skipped}{validating}: lambda {o.JacobianWeight}, {penalty}{loss}, " +
            $"sample fraction {o.JacobianSampleFraction}, {o.Optimizer} learning rate {o.LearningRate} ({o.LearningRateSchedule}), " +
            $"weight decay {o.WeightDecay}, batch {o.BatchSize}, {o.NumberOfEpochs} epochs, seed {seed}, GEMM {gemm.Name}, " +
            $"shuffling {shuffling}.");
    }
}
