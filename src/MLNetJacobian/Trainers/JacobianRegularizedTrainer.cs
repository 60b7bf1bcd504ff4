using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Training;

namespace MLNetJacobian.Trainers;

/// <summary>
/// Trains a feedforward classifier with the Jacobian penalty of Hoffman, Roberts and Yaida (2019) inside ML.NET
/// pipelines: <c>mlContext.MulticlassClassification.Trainers.JacobianRegularized(...)</c>.
/// </summary>
/// <remarks>
/// <para>The objective, for rows <c>x_i</c> with labels <c>y_i</c> and weights <c>w_i</c>:
/// <c>L = sum_i w_i (CE(f(x_i), y_i) + (lambda/2) ||J(x_i)||_F^2) / sum_i w_i</c>, with <c>J = df/dx</c> the
/// Jacobian of the logits with respect to the input the network sees, <c>||J||_F^2</c> estimated by
/// <c>(C / n_proj) sum_k ||v_k^T J||^2</c> over random unit vectors <c>v_k</c> (or exactly). See
/// <see cref="JacobianRegularizedObjective{T}"/> and docs/jacobian-math.md.</para>
/// <para>Input: a key label column (put <c>MapValueToKey</c> first), a known-size float vector feature column and
/// optionally a float weight column. Output: <c>Score</c> (class probabilities, SlotNames = class names) and
/// <c>PredictedLabel</c> (key, KeyValues = class names). Training streams the data through cursors (see
/// <see cref="DataViewTrainingData"/> for what is held in memory); per-epoch metrics go to <c>MLContext.Log</c>.</para>
/// <para>The fitted model saves as a standard ML.NET zip: see <see cref="JacobianRegularizedPredictionTransformer"/>.</para>
/// </remarks>
public sealed partial class JacobianRegularizedTrainer : IEstimator<JacobianRegularizedPredictionTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly MLContext? _context;
    private readonly Options _options;

    /// <summary>Creates the trainer.</summary>
    /// <param name="context">The ML.NET context: its log receives the progress, its seeded random source the default seed.</param>
    /// <param name="options">The settings; validated here.</param>
    public JacobianRegularizedTrainer(MLContext context, Options options)
        : this((IHostEnvironment)(context ?? throw new ArgumentNullException(nameof(context))), options)
    {
        _context = context;
    }

    /// <summary>Creates the trainer for the ML.NET environment behind a catalog.</summary>
    internal JacobianRegularizedTrainer(IHostEnvironment environment, Options options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _environment = environment;
        _options = options;
    }

    /// <summary>Trains on <paramref name="input"/> and returns the fitted transformer.</summary>
    /// <param name="input">The training data.</param>
    public JacobianRegularizedPredictionTransformer Fit(IDataView input) => Train(input, null, null);

    /// <summary>
    /// Continues training from <paramref name="modelParameters"/> (warm start, as ML.NET's L-BFGS trainers offer), or
    /// starts from given initial weights (to reproduce a run made elsewhere): the network begins with those weights
    /// instead of a random initialization; the optimizer's state (momentum, Adam moments) and the learning-rate
    /// schedule start afresh, and every option applies as in <see cref="Fit(IDataView)"/>.
    /// </summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="modelParameters">
    /// The starting network: a trained model's <see cref="JacobianRegularizedPredictionTransformer.Model"/>, or parameters
    /// built with the public constructor. Its input size must match the feature column, its hidden layers and activation
    /// <see cref="Options.HiddenLayers"/> and <see cref="Options.Activation"/>, and its class names the label's.
    /// </param>
    /// <exception cref="ArgumentException">The starting network does not fit the data or the options (the message says how).</exception>
    public JacobianRegularizedPredictionTransformer Fit(IDataView trainData, JacobianRegularizedModelParameters modelParameters)
    {
        ArgumentNullException.ThrowIfNull(modelParameters);
        return Train(trainData, null, modelParameters);
    }

    /// <summary>Warm start (see <see cref="Fit(IDataView, JacobianRegularizedModelParameters)"/>) with validation data (see <see cref="Fit(IDataView, IDataView)"/>).</summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="validationData">Validation data with the training data's schema.</param>
    /// <param name="modelParameters">The starting network.</param>
    /// <exception cref="ArgumentException">The starting network does not fit the data or the options.</exception>
    public JacobianRegularizedPredictionTransformer Fit(IDataView trainData, IDataView validationData, JacobianRegularizedModelParameters modelParameters)
    {
        ArgumentNullException.ThrowIfNull(validationData);
        ArgumentNullException.ThrowIfNull(modelParameters);
        return Train(trainData, validationData, modelParameters);
    }

    /// <summary>
    /// Trains on <paramref name="trainData"/>, measuring <paramref name="validationData"/> after every epoch (its
    /// accuracy and loss reach the log and the training history) and using it for early stopping when
    /// <see cref="Options.EarlyStoppingPatience"/> is set.
    /// </summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="validationData">Validation data with the training data's schema.</param>
    public JacobianRegularizedPredictionTransformer Fit(IDataView trainData, IDataView validationData)
    {
        ArgumentNullException.ThrowIfNull(validationData);
        return Train(trainData, validationData, null);
    }

    /// <summary>
    /// The output shape: the input columns plus <c>Score</c> (vector of Single) and <c>PredictedLabel</c> (key with
    /// KeyValues). Checks the label, feature and weight columns first.
    /// </summary>
    /// <param name="inputSchema">The shape of the training data.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShapeChecks.Check(inputSchema, _options);
        return ScoringChain.OutputShape(ChainContext(), inputSchema, _options.FeatureColumnName,
            SchemaChecks.ClassValueType(inputSchema, _options.LabelColumnName));
    }

    private JacobianRegularizedPredictionTransformer Train(IDataView trainData, IDataView? validationData, JacobianRegularizedModelParameters? initial)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        Options options = _options;
        if (validationData is null && options.EarlyStoppingPatience is int patience)
        {
            throw new ArgumentException(
                $"Options.EarlyStoppingPatience is {patience}, but no validation data was given; call Fit(trainData, validationData).", nameof(validationData));
        }

        DataViewSchema.Column featureColumn = SchemaChecks.FeatureColumn(trainData.Schema, options.FeatureColumnName, null, nameof(trainData));
        ImageShape? imageShape = SchemaChecks.ImageShape(featureColumn, options.ImageShape, nameof(options.ImageShape));
        (Microsoft.ML.DataViewSchema.Column labelColumn, int classCount) = SchemaChecks.LabelColumn(trainData.Schema, options.LabelColumnName, nameof(trainData));
        if (options.ExampleWeightColumnName is { } weightName) SchemaChecks.WeightColumn(trainData.Schema, weightName, nameof(trainData));
        if (validationData is not null)
        {
            SchemaChecks.SameSchema(trainData.Schema, validationData.Schema, options.FeatureColumnName, options.LabelColumnName,
                options.ExampleWeightColumnName, nameof(validationData));
        }

        IHost host = _environment.Register(nameof(JacobianRegularizedTrainer));
        using IChannel channel = host.Start("Training");
        (IReadOnlyList<string> classNames, Microsoft.ML.Data.PrimitiveDataViewType classValueType) = SchemaChecks.Classes(labelColumn, classCount);
        using var trainRows = new DataViewTrainingData(trainData, options.FeatureColumnName, options.LabelColumnName, options.ExampleWeightColumnName,
            options.SkipRowsWithNonFiniteFeatures, options.ShuffleWindowSize, "training data");
        using DataViewTrainingData? validationRows = validationData is null ? null : new DataViewTrainingData(validationData, options.FeatureColumnName,
            options.LabelColumnName, options.ExampleWeightColumnName, options.SkipRowsWithNonFiniteFeatures, options.ShuffleWindowSize, "validation data");

        int seed = options.Seed ?? host.Rand.Next();
        int threads = options.NumberOfThreads ?? Environment.ProcessorCount;
        NetworkArchitecture architecture = Architecture(options, trainRows.FeatureCount, imageShape, classCount);
        var random = new Random(seed);
        if (initial is not null) CheckInitial(initial, architecture, classNames);
        FeedForwardNetwork<float> network = initial is null
            ? FeedForwardNetwork<float>.Create(architecture, options.WeightInitializer, random)
            : FeedForwardNetwork<float>.FromParameters(architecture, initial.Parameters);
        IGemmProvider gemm = TrainingGemm.Create(threads);
        JacobianPenaltyOptions penalty = PenaltyOptions(options);
        // The batch-parallel step: row shards with one-thread GEMMs, or GEMM-level threads for batches too small to shard.
        var objective = new ShardedObjective<float>(threads, options.BatchSize,
            (shardGemm, shardRows) => new JacobianRegularizedObjective<float>(network, shardGemm, shardRows, penalty));
        EvaluatorValidationScorer? scorer = validationRows is null
            ? null
            : new EvaluatorValidationScorer(new NetworkEvaluator<float>(network, options.BatchSize, threads));
        channel.Info(MessageSensitivity.None, Describe(architecture, trainRows, validationRows, seed, gemm)
            + (initial is null ? string.Empty : " Starting from the given network's weights (warm start)."));

        TrainingHistory history = new NetworkTrainer<float>().Train(network.Parameters, objective, trainRows, validationRows, scorer,
            EngineOptions(options) with { Threads = threads }, random, new ChannelEpochLogger(channel, options.NumberOfEpochs));
        if (history.StoppedEarly)
        {
            channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
                $"Stopped early after epoch {history.Epochs.Count}; the model holds the parameters of epoch {history.ParametersFromEpoch}."));
        }

        var model = new JacobianRegularizedModelParameters(architecture, network.Parameters, classNames, classValueType, history);
        return new JacobianRegularizedPredictionTransformer(ChainContext(), model, options.FeatureColumnName);
    }

    /// <summary>
    /// The network: <see cref="Options.Layers"/> on the image (or the flat features) when given, else the multilayer
    /// perceptron of <see cref="Options.HiddenLayers"/> and <see cref="Options.Activation"/>.
    /// </summary>
    private static NetworkArchitecture Architecture(Options options, int featureCount, ImageShape? imageShape, int classCount)
    {
        if (options.Layers is null) return new NetworkArchitecture(featureCount, options.HiddenLayers, classCount, options.Activation);
        try
        {
            return imageShape is null
                ? new NetworkArchitecture(featureCount, options.Layers, classCount)
                : new NetworkArchitecture(imageShape, options.Layers, classCount);
        }
        catch (ArgumentException exception)
        {
            string input = imageShape is null ? $"{featureCount} flat features (no image shape: set Options.ImageShape)" : $"the image {imageShape}";
            throw new ArgumentException($"Options.Layers does not fit {input}: {exception.Message.Split(" (Parameter")[0]}", nameof(options), exception);
        }
    }

    /// <summary>Throws unless a warm-start network has the architecture and the classes this training run would build.</summary>
    private static void CheckInitial(JacobianRegularizedModelParameters initial, NetworkArchitecture architecture, IReadOnlyList<string> classNames)
    {
        if (!initial.Architecture.Equals(architecture))
        {
            throw new ArgumentException(
                $"The starting network is {initial.Architecture}, but the data and options make {architecture} " +
                "(input size from the feature column, classes from the label, layers from the options); set Options.HiddenLayers and " +
                "Options.Activation, or Options.Layers and Options.ImageShape, to the starting network's.", "modelParameters");
        }

        if (!initial.ClassNames.SequenceEqual(classNames, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"The starting network's classes are [{string.Join(", ", initial.ClassNames)}], but the label's are [{string.Join(", ", classNames)}]; " +
                "map the label with the same MapValueToKey as the run that trained it.", "modelParameters");
        }
    }

    /// <summary>The context that builds the scoring chain: the user's, or a private one when created from a catalog.</summary>
    private MLContext ChainContext() => _context ?? new MLContext(seed: 0);

    /// <summary>The penalty settings <paramref name="options"/> describe.</summary>
    internal static JacobianPenaltyOptions PenaltyOptions(Options options) =>
        new(options.JacobianWeight, options.NumberOfProjections, options.UseExactJacobianNorm, options.JacobianSampleFraction);

    /// <summary>
    /// The training-loop settings <paramref name="options"/> describe: the one mapping from the public options to the
    /// engine's (tests and benchmarks use it to train the engine directly with the trainer's defaults).
    /// </summary>
    internal static NetworkTrainerOptions EngineOptions(Options options) => new()
    {
        Epochs = options.NumberOfEpochs,
        BatchSize = options.BatchSize,
        LearningRate = options.LearningRate,
        Schedule = options.LearningRateSchedule switch
        {
            LearningRateScheduleKind.StepDecay => new StepDecaySchedule(options.StepDecayFractions, options.StepDecayFactor),
            LearningRateScheduleKind.Cosine => new CosineSchedule(),
            _ => new ConstantSchedule(),
        },
        Optimizer = options.Optimizer == OptimizerAlgorithm.Adam
            ? new AdamOptions { Beta1 = options.AdamBeta1, Beta2 = options.AdamBeta2, Epsilon = options.AdamEpsilon, WeightDecay = options.WeightDecay }
            : new SgdOptions { Momentum = options.Momentum, Nesterov = options.UseNesterov, WeightDecay = options.WeightDecay },
        ShuffleEachEpoch = options.Shuffle,
        EarlyStoppingPatience = options.EarlyStoppingPatience,
        RestoreBestOnEarlyStop = options.RestoreBestModel,
        CancellationToken = options.CancellationToken,
    };

    private string Describe(NetworkArchitecture architecture, DataViewTrainingData train, DataViewTrainingData? validation, int seed, IGemmProvider gemm)
    {
        Options o = _options;
        string skipped = train.MissingLabelRowCount + train.NonFiniteFeatureRowCount == 0
            ? string.Empty
            : $" ({train.MissingLabelRowCount} rows with a missing label and {train.NonFiniteFeatureRowCount} with non-finite features skipped)";
        string penalty = o.UseExactJacobianNorm ? "exact ||J||_F" : $"{o.NumberOfProjections} projection(s)";
        string validating = validation is null ? string.Empty : $", validating on {validation.RowCount} rows";
        string shuffling = train.ShufflesThroughDataView ? "through the data view" : $"with a window of {o.ShuffleWindowSize} rows";
        return string.Create(CultureInfo.InvariantCulture,
            $"Training {architecture} on {train.RowCount} rows{skipped}{validating}: lambda {o.JacobianWeight}, {penalty}, " +
            $"sample fraction {o.JacobianSampleFraction}, {o.Optimizer} learning rate {o.LearningRate} ({o.LearningRateSchedule}), " +
            $"weight decay {o.WeightDecay}, batch {o.BatchSize}, {o.NumberOfEpochs} epochs, seed {seed}, GEMM {gemm.Name}, " +
            $"shuffling {shuffling}.");
    }
}
