using System.ComponentModel;
using System.Globalization;
using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Commands;

/// <summary>Every option of <see cref="JacobianRegularizedTrainer.Options"/>, on the command line.</summary>
internal class TrainerSettings : DataSettings
{
    [CommandOption("--hidden-layers <WIDTHS>")]
    [Description("Hidden layer widths, comma-separated (200,200); 'none' trains a softmax regression.")]
    [DefaultValue("200,200")]
    public string HiddenLayers { get; set; } = "200,200";

    [CommandOption("--activation <NAME>")]
    [Description("Hidden activation: Relu, Tanh, Softplus or Gelu.")]
    [DefaultValue(Activation.Relu)]
    public Activation Activation { get; set; } = Activation.Relu;

    [CommandOption("--initializer <NAME>")]
    [Description("Weight initialization: XavierUniform or HeNormal.")]
    [DefaultValue(WeightInitializer.XavierUniform)]
    public WeightInitializer Initializer { get; set; } = WeightInitializer.XavierUniform;

    [CommandOption("--bias-initializer <NAME>")]
    [Description("How biases start: Zero or UniformFanIn (PyTorch's nn.Linear default, U(-1/sqrt(fan_in), 1/sqrt(fan_in))).")]
    [DefaultValue(BiasInitializer.Zero)]
    public BiasInitializer BiasInitializer { get; set; } = BiasInitializer.Zero;

    [CommandOption("--lambda <LAMBDA>")]
    [Description("The Jacobian weight lambda of (lambda/2) ||J||_F^2; 0 trains without the penalty.")]
    [DefaultValue(0.1)]
    public double Lambda { get; set; } = 0.1;

    [CommandOption("--projections <N>")]
    [Description("Random projections per row estimating ||J||_F^2.")]
    [DefaultValue(1)]
    public int Projections { get; set; } = 1;

    [CommandOption("--exact-jacobian")]
    [Description("Use the exact ||J||_F^2 instead of random projections.")]
    public bool ExactJacobian { get; set; }

    [CommandOption("--jacobian-sample-fraction <FRACTION>")]
    [Description("The fraction of each batch the penalty is computed on, in (0, 1]].")]
    [DefaultValue(1.0)]
    public double JacobianSampleFraction { get; set; } = 1.0;

    [CommandOption("--optimizer <NAME>")]
    [Description("Sgd (with momentum) or Adam.")]
    [DefaultValue(OptimizerAlgorithm.Sgd)]
    public OptimizerAlgorithm Optimizer { get; set; } = OptimizerAlgorithm.Sgd;

    [CommandOption("--learning-rate <RATE>")]
    [Description("The base learning rate.")]
    [DefaultValue(0.01)]
    public double LearningRate { get; set; } = 0.01;

    [CommandOption("--momentum <MOMENTUM>")]
    [Description("SGD momentum, in [[0, 1).")]
    [DefaultValue(0.9)]
    public double Momentum { get; set; } = 0.9;

    [CommandOption("--nesterov")]
    [Description("Use Nesterov momentum with SGD.")]
    public bool Nesterov { get; set; }

    [CommandOption("--adam-beta1 <BETA>")]
    [Description("Adam's first-moment decay.")]
    [DefaultValue(0.9)]
    public double AdamBeta1 { get; set; } = 0.9;

    [CommandOption("--adam-beta2 <BETA>")]
    [Description("Adam's second-moment decay.")]
    [DefaultValue(0.999)]
    public double AdamBeta2 { get; set; } = 0.999;

    [CommandOption("--adam-epsilon <EPSILON>")]
    [Description("Adam's denominator term.")]
    [DefaultValue(1e-8)]
    public double AdamEpsilon { get; set; } = 1e-8;

    [CommandOption("--schedule <NAME>")]
    [Description("Learning-rate schedule: Constant, StepDecay or Cosine.")]
    [DefaultValue(LearningRateScheduleKind.Constant)]
    public LearningRateScheduleKind Schedule { get; set; } = LearningRateScheduleKind.Constant;

    [CommandOption("--step-decay-fractions <FRACTIONS>")]
    [Description("StepDecay: the fractions of training at which the rate decays, comma-separated.")]
    [DefaultValue("0.5,0.75")]
    public string StepDecayFractions { get; set; } = "0.5,0.75";

    [CommandOption("--step-decay-factor <FACTOR>")]
    [Description("StepDecay: the multiplier at each fraction, in (0, 1]].")]
    [DefaultValue(0.1)]
    public double StepDecayFactor { get; set; } = 0.1;

    [CommandOption("--weight-decay <DECAY>")]
    [Description("L2 weight decay.")]
    [DefaultValue(5e-4)]
    public double WeightDecay { get; set; } = 5e-4;

    [CommandOption("--batch-size <ROWS>")]
    [Description("Rows per optimizer step.")]
    [DefaultValue(64)]
    public int BatchSize { get; set; } = 64;

    [CommandOption("--epochs <N>")]
    [Description("Passes over the training data.")]
    [DefaultValue(5)]
    public int Epochs { get; set; } = 5;

    [CommandOption("--no-shuffle")]
    [Description("Read the training rows in file order every epoch.")]
    public bool NoShuffle { get; set; }

    [CommandOption("--shuffle-window <ROWS>")]
    [Description("Rows buffered to shuffle data that cannot shuffle itself (text files).")]
    [DefaultValue(8192)]
    public int ShuffleWindow { get; set; } = 8192;

    [CommandOption("--validation-fraction <FRACTION>")]
    [Description("Hold out this fraction of the training rows as validation data, measured after every epoch, in (0, 1).")]
    public double? ValidationFraction { get; set; }

    [CommandOption("--early-stopping-patience <EPOCHS>")]
    [Description("Stop after this many epochs without a lower validation loss (needs --validation-fraction).")]
    public int? EarlyStoppingPatience { get; set; }

    [CommandOption("--keep-last-model")]
    [Description("With early stopping: keep the last epoch's parameters instead of the best epoch's.")]
    public bool KeepLastModel { get; set; }

    [CommandOption("--threads <N>")]
    [Description("Threads for the GEMM kernels. Default: the number of processors.")]
    public int? Threads { get; set; }

    [CommandOption("--normalize <MODE>")]
    [Description("Scale the features before the network, as the model's first step: None, Standardize ((x - mean) / std; with --normalize-mean and --normalize-std, else fitted per feature on the training rows) or MinMax (per feature to [[0, 1]]). Lambda acts on the Jacobian w.r.t. the scaled features; attacks stay in raw feature units.")]
    [DefaultValue(NormalizationMode.None)]
    public NormalizationMode Normalize { get; set; } = NormalizationMode.None;

    [CommandOption("--normalize-mean <MEAN>")]
    [Description("--normalize Standardize: the mean subtracted from every feature (e.g. 0.1307 for MNIST in [[0, 1]]); needs --normalize-std.")]
    public double? NormalizeMean { get; set; }

    [CommandOption("--normalize-std <STD>")]
    [Description("--normalize Standardize: the standard deviation every feature is divided by (e.g. 0.3081); needs --normalize-mean.")]
    public double? NormalizeStd { get; set; }

    [CommandOption("--skip-non-finite")]
    [Description("Skip rows with a NaN or infinite feature instead of failing.")]
    public bool SkipNonFinite { get; set; }

    /// <summary>The normalization these settings describe.</summary>
    public InputNormalization Normalization() => new(Normalize, NormalizeMean, NormalizeStd);

    /// <summary>The trainer options these settings describe.</summary>
    public JacobianRegularizedTrainer.Options ToTrainerOptions(double? lambda = null) => new()
    {
        LabelColumnName = Data.LoadedData.LabelColumnName,
        FeatureColumnName = Data.LoadedData.FeatureColumnName,
        HiddenLayers = ParseHiddenLayers(HiddenLayers),
        Activation = Activation,
        WeightInitializer = Initializer,
        BiasInitializer = BiasInitializer,
        JacobianWeight = lambda ?? Lambda,
        NumberOfProjections = Projections,
        UseExactJacobianNorm = ExactJacobian,
        JacobianSampleFraction = JacobianSampleFraction,
        Optimizer = Optimizer,
        LearningRate = LearningRate,
        Momentum = Momentum,
        UseNesterov = Nesterov,
        AdamBeta1 = AdamBeta1,
        AdamBeta2 = AdamBeta2,
        AdamEpsilon = AdamEpsilon,
        LearningRateSchedule = Schedule,
        StepDecayFractions = ParseNumbers(StepDecayFractions, "--step-decay-fractions"),
        StepDecayFactor = StepDecayFactor,
        WeightDecay = WeightDecay,
        BatchSize = BatchSize,
        NumberOfEpochs = Epochs,
        Shuffle = !NoShuffle,
        ShuffleWindowSize = ShuffleWindow,
        EarlyStoppingPatience = EarlyStoppingPatience,
        RestoreBestModel = !KeepLastModel,
        NumberOfThreads = Threads,
        Seed = Seed,
        SkipRowsWithNonFiniteFeatures = SkipNonFinite,
    };

    public override ValidationResult Validate()
    {
        ValidationResult data = base.Validate();
        if (!data.Successful) return data;
        if (TryParseHiddenLayers(HiddenLayers, out _) is { } layerError) return ValidationResult.Error(layerError);
        if (!(Lambda >= 0 && double.IsFinite(Lambda))) return ValidationResult.Error($"--lambda {Format(Lambda)} must be finite and at least 0.");
        if (Projections < 1) return ValidationResult.Error($"--projections {Projections} must be at least 1.");
        if (!(JacobianSampleFraction > 0 && JacobianSampleFraction <= 1)) return ValidationResult.Error($"--jacobian-sample-fraction {Format(JacobianSampleFraction)} must be in (0, 1].");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) return ValidationResult.Error($"--learning-rate {Format(LearningRate)} must be finite and greater than 0.");
        if (!(Momentum >= 0 && Momentum < 1)) return ValidationResult.Error($"--momentum {Format(Momentum)} must be in [0, 1).");
        if (Nesterov && Momentum == 0) return ValidationResult.Error("--nesterov needs --momentum greater than 0.");
        if (!(AdamBeta1 >= 0 && AdamBeta1 < 1)) return ValidationResult.Error($"--adam-beta1 {Format(AdamBeta1)} must be in [0, 1).");
        if (!(AdamBeta2 >= 0 && AdamBeta2 < 1)) return ValidationResult.Error($"--adam-beta2 {Format(AdamBeta2)} must be in [0, 1).");
        if (!(AdamEpsilon > 0 && double.IsFinite(AdamEpsilon))) return ValidationResult.Error($"--adam-epsilon {Format(AdamEpsilon)} must be finite and greater than 0.");
        try
        {
            foreach (double fraction in ParseNumbers(StepDecayFractions, "--step-decay-fractions"))
            {
                if (!(fraction > 0 && fraction < 1)) return ValidationResult.Error($"--step-decay-fractions '{StepDecayFractions}' must hold fractions in (0, 1); {Format(fraction)} is not.");
            }
        }
        catch (CliException exception)
        {
            return ValidationResult.Error(exception.Message);
        }

        if (!(StepDecayFactor > 0 && StepDecayFactor <= 1)) return ValidationResult.Error($"--step-decay-factor {Format(StepDecayFactor)} must be in (0, 1].");
        if (!(WeightDecay >= 0 && double.IsFinite(WeightDecay))) return ValidationResult.Error($"--weight-decay {Format(WeightDecay)} must be finite and at least 0.");
        if (BatchSize < 1 || BatchSize > 65_536) return ValidationResult.Error($"--batch-size {BatchSize} must be in [1, 65536].");
        if (Epochs < 1) return ValidationResult.Error($"--epochs {Epochs} must be at least 1.");
        if (ShuffleWindow < 1) return ValidationResult.Error($"--shuffle-window {ShuffleWindow} must be at least 1.");
        if (ValidationFraction is double v && !(v > 0 && v < 1)) return ValidationResult.Error($"--validation-fraction {Format(v)} must be in (0, 1).");
        if (EarlyStoppingPatience is int patience)
        {
            if (patience < 1) return ValidationResult.Error($"--early-stopping-patience {patience} must be at least 1.");
            if (ValidationFraction is null) return ValidationResult.Error($"--early-stopping-patience {patience} needs validation data; add --validation-fraction.");
        }

        if (Threads is int threads && threads < 1) return ValidationResult.Error($"--threads {threads} must be at least 1.");
        if (NormalizeMean.HasValue != NormalizeStd.HasValue) return ValidationResult.Error("--normalize-mean and --normalize-std go together; give both or neither.");
        if (NormalizeMean is double givenMean)
        {
            if (Normalize != NormalizationMode.Standardize)
            {
                return ValidationResult.Error($"--normalize-mean and --normalize-std apply to --normalize Standardize, not {Normalize}.");
            }

            if (!double.IsFinite(givenMean)) return ValidationResult.Error($"--normalize-mean {Format(givenMean)} must be finite.");
            if (!(NormalizeStd!.Value > 0 && double.IsFinite(NormalizeStd.Value))) return ValidationResult.Error($"--normalize-std {Format(NormalizeStd.Value)} must be finite and greater than 0.");
        }

        return ValidationResult.Success();
    }

    /// <summary>Parses <c>--hidden-layers</c>.</summary>
    public static int[] ParseHiddenLayers(string text) =>
        TryParseHiddenLayers(text, out int[] widths) is { } error ? throw CliException.InvalidArgument(error) : widths;

    private static string? TryParseHiddenLayers(string text, out int[] widths)
    {
        widths = [];
        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return null;
        var parsed = new List<int>();
        foreach (string item in text.Split(','))
        {
            if (!int.TryParse(item.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int width) || width < 1)
            {
                return $"--hidden-layers '{text}' must be comma-separated widths of at least 1 (for example 200,200), or 'none'; '{item.Trim()}' is not.";
            }

            parsed.Add(width);
        }

        widths = parsed.ToArray();
        return null;
    }

    /// <summary>Parses a comma-separated list of numbers.</summary>
    public static double[] ParseNumbers(string text, string option)
    {
        var values = new List<double>();
        foreach (string item in text.Split(','))
        {
            if (!double.TryParse(item.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                throw CliException.InvalidArgument($"{option} '{text}' must be comma-separated numbers; '{item.Trim()}' is not.");
            }

            values.Add(value);
        }

        return values.ToArray();
    }
}
