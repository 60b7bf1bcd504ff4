using System.Globalization;
using MLNetJacobian.Network;
using MLNetJacobian.Training;

namespace MLNetJacobian.Trainers;

/// <summary>
/// The settings every Jacobian-regularized trainer shares (multiclass, binary, regression): columns, network,
/// penalty, optimizer, schedule, batches, early stopping, threads, seed. Each task's <c>Options</c> adds only its own.
/// The defaults (each option's documentation gives its own) are the reference implementation's MNIST setting.
/// </summary>
/// <remarks>
/// Every option is validated when the trainer is created (or by <see cref="Validate"/>); errors name the option and
/// carry its value.
/// </remarks>
public abstract class JacobianRegularizedOptions
{
    private protected JacobianRegularizedOptions()
    {
    }

    /// <summary>
    /// The label column. Default <c>Label</c>. Multiclass: a key type (put <c>MapValueToKey</c> first) with at least 2
    /// classes; binary: Boolean; regression: Single.
    /// </summary>
    public string LabelColumnName { get; set; } = JacobianRegularizedTrainer.Defaults.LabelColumnName;

    /// <summary>The feature column: a known-size vector of Single. Default <c>Features</c>.</summary>
    public string FeatureColumnName { get; set; } = JacobianRegularizedTrainer.Defaults.FeatureColumnName;

    /// <summary>A Single column of example weights (finite, at least 0), or null for unit weights (the default).</summary>
    public string? ExampleWeightColumnName { get; set; }

    /// <summary>The width of each hidden layer; empty trains a linear model (softmax, logistic or linear regression). Default <c>[200, 200]</c>.</summary>
    public int[] HiddenLayers { get; set; } = [.. JacobianRegularizedTrainer.Defaults.HiddenLayers];

    /// <summary>The activation after every hidden layer. Default ReLU.</summary>
    public Activation Activation { get; set; } = JacobianRegularizedTrainer.Defaults.Activation;

    /// <summary>
    /// The layers before the output layer, for convolutional and other networks: <see cref="NetworkLayers.Parse"/>
    /// (for example <c>"conv 6 5 pad 2, tanh, maxpool 2, dense 84, tanh, dropout 0.5"</c>) or typed
    /// specifications (<see cref="ConvLayerSpec"/>, ...). When set it replaces <see cref="HiddenLayers"/> and
    /// <see cref="Activation"/>; the trainer adds the dense output layer (C logits, or the one output of a binary
    /// classifier or regressor). Default null (the multilayer perceptron those two describe).
    /// </summary>
    public IReadOnlyList<LayerSpec>? Layers { get; set; }

    /// <summary>
    /// The image the features form (channels x height x width, planar), which convolution and pooling layers
    /// need. Default null: taken from the feature column's dimensions where ML.NET records them (ExtractPixels
    /// writes <c>[channels, height, width]</c> with its default <c>interleavePixelColors: false</c>). When set it
    /// must hold as many features as the column, and agree with recorded dimensions.
    /// </summary>
    public ImageShape? ImageShape { get; set; }

    /// <summary>How the weights are drawn (<see cref="BiasInitializer"/> says how the biases start). Default Xavier uniform.</summary>
    public WeightInitializer WeightInitializer { get; set; } = JacobianRegularizedTrainer.Defaults.WeightInitializer;

    /// <summary>
    /// How the biases start. Default <see cref="BiasInitializer.Zero"/>; <see cref="BiasInitializer.UniformFanIn"/>
    /// is PyTorch's <c>nn.Linear</c> default, which the reference keeps, for a run drawn as the reference's is (on
    /// MNIST the two give the same accuracy within the seed-to-seed spread: examples/MnistReference/RESULTS.md).
    /// </summary>
    public BiasInitializer BiasInitializer { get; set; } = JacobianRegularizedTrainer.Defaults.BiasInitializer;

    /// <summary>lambda, the weight of the penalty <c>(lambda/2) ||J(x)||_F^2</c>; finite, at least 0 (0 = plain training). Default 0.1.</summary>
    public double JacobianWeight { get; set; } = JacobianRegularizedTrainer.Defaults.JacobianWeight;

    /// <summary>
    /// n_proj, random projections per row estimating <c>||J||_F^2</c>; at least 1. Default 1. Multiclass only: with one
    /// output (binary, regression) the Jacobian is one row and the penalty is exact, and any other value is refused.
    /// </summary>
    public int NumberOfProjections { get; set; } = JacobianRegularizedTrainer.Defaults.NumberOfProjections;

    /// <summary>
    /// Use the exact <c>||J||_F^2</c> (C projections onto the basis) instead of random projections. Default false.
    /// Multiclass only: with one output the penalty is always exact, and setting this is refused.
    /// </summary>
    public bool UseExactJacobianNorm { get; set; }

    /// <summary>The fraction of each batch the penalty is computed on (unbiased rescaling), in (0, 1]. Default 1.</summary>
    public double JacobianSampleFraction { get; set; } = JacobianRegularizedTrainer.Defaults.JacobianSampleFraction;

    /// <summary>The optimizer. Default SGD with momentum.</summary>
    public OptimizerAlgorithm Optimizer { get; set; } = JacobianRegularizedTrainer.Defaults.Optimizer;

    /// <summary>SGD's momentum coefficient, in [0, 1). Default 0.9.</summary>
    public double Momentum { get; set; } = JacobianRegularizedTrainer.Defaults.Momentum;

    /// <summary>Use Nesterov momentum with SGD (needs <see cref="Momentum"/> &gt; 0). Default false.</summary>
    public bool UseNesterov { get; set; }

    /// <summary>Adam's first-moment decay, in [0, 1). Default 0.9.</summary>
    public double AdamBeta1 { get; set; } = JacobianRegularizedTrainer.Defaults.AdamBeta1;

    /// <summary>Adam's second-moment decay, in [0, 1). Default 0.999.</summary>
    public double AdamBeta2 { get; set; } = JacobianRegularizedTrainer.Defaults.AdamBeta2;

    /// <summary>Adam's denominator term, finite and greater than 0. Default 1e-8.</summary>
    public double AdamEpsilon { get; set; } = JacobianRegularizedTrainer.Defaults.AdamEpsilon;

    /// <summary>The base learning rate, finite and greater than 0. Default 0.01.</summary>
    public double LearningRate { get; set; } = JacobianRegularizedTrainer.Defaults.LearningRate;

    /// <summary>How the learning rate changes over training. Default constant.</summary>
    public LearningRateScheduleKind LearningRateSchedule { get; set; } = JacobianRegularizedTrainer.Defaults.LearningRateSchedule;

    /// <summary>With step decay: the fractions of training at which the rate decays, each in (0, 1). Default <c>[0.5, 0.75]</c>.</summary>
    public double[] StepDecayFractions { get; set; } = [.. JacobianRegularizedTrainer.Defaults.StepDecayFractions];

    /// <summary>With step decay: the multiplier at each fraction, in (0, 1]. Default 0.1.</summary>
    public double StepDecayFactor { get; set; } = JacobianRegularizedTrainer.Defaults.StepDecayFactor;

    /// <summary>L2 weight decay added to the gradient (<c>g += WeightDecay p</c>), finite and at least 0. Default 5e-4.</summary>
    public double WeightDecay { get; set; } = JacobianRegularizedTrainer.Defaults.WeightDecay;

    /// <summary>Rows per optimizer step, 1 to 65,536. Default 64.</summary>
    public int BatchSize { get; set; } = JacobianRegularizedTrainer.Defaults.BatchSize;

    /// <summary>Passes over the training data, at least 1. Default 5.</summary>
    public int NumberOfEpochs { get; set; } = JacobianRegularizedTrainer.Defaults.NumberOfEpochs;

    /// <summary>Read the training rows in a new random order every epoch. Default true.</summary>
    public bool Shuffle { get; set; } = JacobianRegularizedTrainer.Defaults.Shuffle;

    /// <summary>
    /// Rows buffered to shuffle training data whose IDataView cannot shuffle itself (e.g. a text loader or
    /// <c>LoadFromEnumerable</c>), at least 1. Default 8,192 (for MNIST, 25 MB). With more rows than the window
    /// the order is a local shuffle; for a full random permutation every epoch, pass a view that can shuffle,
    /// e.g. <c>mlContext.Data.Cache(view)</c> when the data fits in memory. When every row fits in the window, the
    /// validating read fills it once and the epochs read it instead of the view.
    /// </summary>
    public int ShuffleWindowSize { get; set; } = JacobianRegularizedTrainer.Defaults.ShuffleWindowSize;

    /// <summary>
    /// Early stopping: stop after this many epochs without a lower validation loss (at least 1), or null to run
    /// every epoch (the default). Needs the trainer's <c>Fit(trainData, validationData)</c>.
    /// </summary>
    public int? EarlyStoppingPatience { get; set; }

    /// <summary>With early stopping: end with the parameters of the epoch of lowest validation loss. Default true.</summary>
    public bool RestoreBestModel { get; set; } = JacobianRegularizedTrainer.Defaults.RestoreBestModel;

    /// <summary>Threads for the GEMM kernels, at least 1, or null for the number of processors (the default).</summary>
    public int? NumberOfThreads { get; set; }

    /// <summary>The seed of initialization, row order and projections, or null to draw it from the MLContext's seeded random source (the default).</summary>
    public int? Seed { get; set; }

    /// <summary>Skip rows with a NaN or infinite feature instead of failing with an error naming the row. Default false.</summary>
    public bool SkipRowsWithNonFiniteFeatures { get; set; }

    /// <summary>Cancels training (checked before every batch): <c>Fit</c> then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// Checks every option; the trainer's constructor calls it. The message reads <c>Options.{Name} {requirement}.</c>,
    /// its <see cref="ArgumentException.ParamName"/> is the option's name.
    /// </summary>
    /// <exception cref="ArgumentNullException"><see cref="HiddenLayers"/> or <see cref="StepDecayFractions"/> is null.</exception>
    /// <exception cref="ArgumentException">A column name is empty, or the label and feature columns coincide or collide with the trainer's outputs.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The first option outside its range, with its value.</exception>
    public virtual void Validate()
    {
        RequireName(LabelColumnName, nameof(LabelColumnName));
        RequireName(FeatureColumnName, nameof(FeatureColumnName));
        if (ExampleWeightColumnName is not null) RequireName(ExampleWeightColumnName, nameof(ExampleWeightColumnName));
        if (LabelColumnName == FeatureColumnName)
        {
            throw new ArgumentException($"Options.LabelColumnName and Options.FeatureColumnName are both '{LabelColumnName}'.", nameof(FeatureColumnName));
        }

        if (FeatureColumnName is ScoringChain.ScoreColumnName or ScoringChain.PredictedLabelColumnName)
        {
            throw new ArgumentException(
                $"Options.FeatureColumnName is '{FeatureColumnName}', a column the trainer writes; rename the feature column.", nameof(FeatureColumnName));
        }

        if (HiddenLayers is null) throw new ArgumentNullException(nameof(HiddenLayers), "Options.HiddenLayers must not be null; use an empty array for no hidden layer.");
        for (int i = 0; i < HiddenLayers.Length; i++)
        {
            Require(HiddenLayers[i] >= 1, nameof(HiddenLayers), HiddenLayers[i], $"must hold widths of at least 1, but hidden layer {i} has width {HiddenLayers[i]}");
        }

        Require(Enum.IsDefined(Activation), nameof(Activation), Activation, "must be a defined activation");
        if (Layers is not null)
        {
            for (int i = 0; i < Layers.Count; i++)
            {
                if (Layers[i] is null) throw new ArgumentNullException(nameof(Layers), $"Options.Layers holds null at position {i + 1}.");
            }
        }

        Require(Enum.IsDefined(WeightInitializer), nameof(WeightInitializer), WeightInitializer, "must be a defined initializer");
        Require(Enum.IsDefined(BiasInitializer), nameof(BiasInitializer), BiasInitializer, "must be a defined bias initializer");
        Require(JacobianWeight >= 0 && double.IsFinite(JacobianWeight), nameof(JacobianWeight), JacobianWeight, "must be finite and at least 0");
        Require(NumberOfProjections >= 1, nameof(NumberOfProjections), NumberOfProjections, "must be at least 1");
        Require(JacobianSampleFraction > 0 && JacobianSampleFraction <= 1, nameof(JacobianSampleFraction), JacobianSampleFraction, "must be in (0, 1]");
        Require(Enum.IsDefined(Optimizer), nameof(Optimizer), Optimizer, "must be a defined optimizer");
        Require(Momentum >= 0 && Momentum < 1, nameof(Momentum), Momentum, "must be in [0, 1)");
        Require(!UseNesterov || Momentum > 0, nameof(UseNesterov), UseNesterov, "needs Options.Momentum greater than 0");
        Require(AdamBeta1 >= 0 && AdamBeta1 < 1, nameof(AdamBeta1), AdamBeta1, "must be in [0, 1)");
        Require(AdamBeta2 >= 0 && AdamBeta2 < 1, nameof(AdamBeta2), AdamBeta2, "must be in [0, 1)");
        Require(AdamEpsilon > 0 && double.IsFinite(AdamEpsilon), nameof(AdamEpsilon), AdamEpsilon, "must be finite and greater than 0");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be finite and greater than 0");
        Require(Enum.IsDefined(LearningRateSchedule), nameof(LearningRateSchedule), LearningRateSchedule, "must be a defined schedule");
        if (StepDecayFractions is null) throw new ArgumentNullException(nameof(StepDecayFractions), "Options.StepDecayFractions must not be null.");
        // Checked whatever the schedule: a value out of range is a mistake even where it is not used.
        foreach (double fraction in StepDecayFractions)
        {
            Require(fraction > 0 && fraction < 1, nameof(StepDecayFractions), fraction,
                string.Create(CultureInfo.InvariantCulture, $"must hold fractions in (0, 1); {fraction} is not"));
        }

        Require(StepDecayFactor > 0 && StepDecayFactor <= 1, nameof(StepDecayFactor), StepDecayFactor, "must be in (0, 1]");
        if (LearningRateSchedule == LearningRateScheduleKind.StepDecay)
        {
            Require(StepDecayFractions.Length > 0, nameof(StepDecayFractions), StepDecayFractions.Length, "must hold at least one fraction with step decay");
        }

        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, "must be finite and at least 0");
        Require(BatchSize >= 1 && BatchSize <= JacobianRegularizedTrainer.Defaults.MaxBatchSize, nameof(BatchSize), BatchSize, $"must be in [1, {JacobianRegularizedTrainer.Defaults.MaxBatchSize}]");
        Require(NumberOfEpochs >= 1, nameof(NumberOfEpochs), NumberOfEpochs, "must be at least 1");
        Require(ShuffleWindowSize >= 1, nameof(ShuffleWindowSize), ShuffleWindowSize, "must be at least 1");
        Require(EarlyStoppingPatience is null or >= 1, nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must be at least 1");
        Require(NumberOfThreads is null or >= 1, nameof(NumberOfThreads), NumberOfThreads, "must be at least 1");
    }

    private protected static void Require(bool condition, string option, object? value, string requirement)
    {
        if (!condition) throw new ArgumentOutOfRangeException(option, value, $"Options.{option} {requirement}.");
    }

    private static void RequireName(string? name, string option)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"Options.{option} must name a column; it is '{name}'.", option);
    }

    /// <summary>The penalty settings these options describe.</summary>
    internal JacobianPenaltyOptions ToPenaltyOptions() => new(JacobianWeight, NumberOfProjections, UseExactJacobianNorm, JacobianSampleFraction);

    /// <summary>
    /// The training-loop settings these options describe: the one mapping from the public options to the engine's
    /// (tests and benchmarks use it, through <see cref="JacobianRegularizedTrainer.EngineOptions"/>, to train the engine
    /// directly with the trainer's defaults).
    /// </summary>
    internal NetworkTrainerOptions ToEngineOptions() => new()
    {
        Epochs = NumberOfEpochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        Schedule = LearningRateSchedule switch
        {
            LearningRateScheduleKind.StepDecay => new StepDecaySchedule(StepDecayFractions, StepDecayFactor),
            LearningRateScheduleKind.Cosine => new CosineSchedule(),
            _ => new ConstantSchedule(),
        },
        Optimizer = Optimizer == OptimizerAlgorithm.Adam
            ? new AdamOptions { Beta1 = AdamBeta1, Beta2 = AdamBeta2, Epsilon = AdamEpsilon, WeightDecay = WeightDecay }
            : new SgdOptions { Momentum = Momentum, Nesterov = UseNesterov, WeightDecay = WeightDecay },
        ShuffleEachEpoch = Shuffle,
        EarlyStoppingPatience = EarlyStoppingPatience,
        RestoreBestOnEarlyStop = RestoreBestModel,
        CancellationToken = CancellationToken,
    };

    /// <summary>
    /// Refuses the projection options on a one-output task (<paramref name="task"/>, e.g. "a binary classifier"):
    /// its Jacobian is one row, so the penalty is always exact.
    /// </summary>
    private protected void RefuseProjections(string task)
    {
        if (NumberOfProjections != 1 || UseExactJacobianNorm)
        {
            string option = NumberOfProjections != 1 ? nameof(NumberOfProjections) : nameof(UseExactJacobianNorm);
            object value = NumberOfProjections != 1 ? NumberOfProjections : UseExactJacobianNorm;
            throw new ArgumentOutOfRangeException(option, value,
                $"Options.{option} is {value}, but {task} has one output: its Jacobian is one row and the penalty is always exact, " +
                "so projection options do not apply. Leave NumberOfProjections at 1 and UseExactJacobianNorm false.");
        }
    }
}
