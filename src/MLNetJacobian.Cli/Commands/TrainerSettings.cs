using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using MLNetJacobian.Cli.Modeling;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MLNetJacobian.Cli.Commands;

/// <summary>
/// Every option of <see cref="JacobianRegularizedTrainer.Options"/>, on the command line. Each setting names its option
/// (<see cref="TrainerOptionAttribute"/>): its default, its copy into the options and its validation come from the trainer.
/// </summary>
internal class TrainerSettings : DataSettings
{
    [CommandOption("--hidden-layers <WIDTHS>")]
    [Description("Hidden layer widths, comma-separated; 'none' trains a softmax regression.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.HiddenLayers))]
    public string HiddenLayers { get; set; } = "";

    [CommandOption("--layers <LIST>")]
    [Description("The layers before the output layer, for convolutional networks, comma-separated: e.g. \"conv 6 5 pad 2, tanh, maxpool 2, conv 16 5, tanh, maxpool 2, dense 120, tanh, dropout 0.5, dense 84, tanh\" (words: conv C K [[stride S]] [[pad P]], maxpool K, avgpool K, globalavgpool, dense N, dropout P, relu, tanh, softplus, gelu). Replaces --hidden-layers and --activation. Default: the multilayer perceptron of --hidden-layers.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.Layers))]
    public string? Layers { get; set; }

    [CommandOption("--image-shape <CxHxW>")]
    [Description("The image the features form, channels x height x width (e.g. 1x28x28), for --layers with conv and pooling layers. Default: the data's (1x28x28 for MNIST IDX folders, 1x8x8 for the embedded digits, --image-width/--image-height for CSV/TSV).")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.ImageShape))]
    public string? ImageShape { get; set; }

    [CommandOption("--activation <NAME>")]
    [Description("Hidden activation: Relu, Tanh, Softplus or Gelu.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.Activation))]
    public Activation Activation { get; set; }

    [CommandOption("--initializer <NAME>")]
    [Description("Weight initialization: XavierUniform or HeNormal.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.WeightInitializer))]
    public WeightInitializer Initializer { get; set; }

    [CommandOption("--bias-initializer <NAME>")]
    [Description("How biases start: Zero or UniformFanIn (PyTorch's nn.Linear default, U(-1/sqrt(fan_in), 1/sqrt(fan_in))).")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.BiasInitializer))]
    public BiasInitializer BiasInitializer { get; set; }

    [CommandOption("--lambda <LAMBDA>")]
    [Description("The Jacobian weight lambda of (lambda/2) ||J||_F^2; 0 trains without the penalty.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.JacobianWeight))]
    public double Lambda { get; set; }

    [CommandOption("--projections <N>")]
    [Description("Random projections per row estimating ||J||_F^2.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.NumberOfProjections))]
    public int Projections { get; set; }

    [CommandOption("--exact-jacobian")]
    [Description("Use the exact ||J||_F^2 instead of random projections.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.UseExactJacobianNorm))]
    public bool ExactJacobian { get; set; }

    [CommandOption("--jacobian-sample-fraction <FRACTION>")]
    [Description("The fraction of each batch the penalty is computed on, in (0, 1]].")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.JacobianSampleFraction))]
    public double JacobianSampleFraction { get; set; }

    [CommandOption("--optimizer <NAME>")]
    [Description("Sgd (with momentum) or Adam.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.Optimizer))]
    public OptimizerAlgorithm Optimizer { get; set; }

    [CommandOption("--learning-rate <RATE>")]
    [Description("The base learning rate.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.LearningRate))]
    public double LearningRate { get; set; }

    [CommandOption("--momentum <MOMENTUM>")]
    [Description("SGD momentum, in [[0, 1).")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.Momentum))]
    public double Momentum { get; set; }

    [CommandOption("--nesterov")]
    [Description("Use Nesterov momentum with SGD.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.UseNesterov))]
    public bool Nesterov { get; set; }

    [CommandOption("--adam-beta1 <BETA>")]
    [Description("Adam's first-moment decay.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.AdamBeta1))]
    public double AdamBeta1 { get; set; }

    [CommandOption("--adam-beta2 <BETA>")]
    [Description("Adam's second-moment decay.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.AdamBeta2))]
    public double AdamBeta2 { get; set; }

    [CommandOption("--adam-epsilon <EPSILON>")]
    [Description("Adam's denominator term.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.AdamEpsilon))]
    public double AdamEpsilon { get; set; }

    [CommandOption("--schedule <NAME>")]
    [Description("Learning-rate schedule: Constant, StepDecay or Cosine.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.LearningRateSchedule))]
    public LearningRateScheduleKind Schedule { get; set; }

    [CommandOption("--step-decay-fractions <FRACTIONS>")]
    [Description("StepDecay: the fractions of training at which the rate decays, comma-separated.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.StepDecayFractions))]
    public string StepDecayFractions { get; set; } = "";

    [CommandOption("--step-decay-factor <FACTOR>")]
    [Description("StepDecay: the multiplier at each fraction, in (0, 1]].")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.StepDecayFactor))]
    public double StepDecayFactor { get; set; }

    [CommandOption("--weight-decay <DECAY>")]
    [Description("L2 weight decay.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.WeightDecay))]
    public double WeightDecay { get; set; }

    [CommandOption("--batch-size <ROWS>")]
    [Description("Rows per optimizer step.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.BatchSize))]
    public int BatchSize { get; set; }

    [CommandOption("--epochs <N>")]
    [Description("Passes over the training data.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.NumberOfEpochs))]
    public int Epochs { get; set; }

    [CommandOption("--no-shuffle")]
    [Description("Read the training rows in file order every epoch.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.Shuffle), Negated = true)]
    public bool NoShuffle { get; set; }

    [CommandOption("--shuffle-window <ROWS>")]
    [Description("Rows buffered to shuffle data that cannot shuffle itself (text files).")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.ShuffleWindowSize))]
    public int ShuffleWindow { get; set; }

    [CommandOption("--validation-fraction <FRACTION>")]
    [Description("Hold out this fraction of the training rows as validation data, measured after every epoch, in (0, 1).")]
    public double? ValidationFraction { get; set; }

    [CommandOption("--early-stopping-patience <EPOCHS>")]
    [Description("Stop after this many epochs without a lower validation loss (needs --validation-fraction).")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.EarlyStoppingPatience))]
    public int? EarlyStoppingPatience { get; set; }

    [CommandOption("--keep-last-model")]
    [Description("With early stopping: keep the last epoch's parameters instead of the best epoch's.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.RestoreBestModel), Negated = true)]
    public bool KeepLastModel { get; set; }

    [CommandOption("--threads <N>")]
    [Description("Threads for the GEMM kernels. Default: the number of processors.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.NumberOfThreads))]
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

    [CommandOption("--loss <NAME>")]
    [Description("--task regression: the loss, SquaredError or Huber. Default: SquaredError.")]
    public RegressionLossFunction? Loss { get; set; }

    [CommandOption("--huber-delta <DELTA>")]
    [Description("--task regression with --loss Huber: where the loss turns linear, in standard deviations of the label (or label units with --no-standardize-label). Default: 1.")]
    public double? HuberDelta { get; set; }

    [CommandOption("--no-standardize-label")]
    [Description("--task regression: fit the label as it is instead of (y - mean) / std; lambda then acts on the prediction in the label's units.")]
    public bool NoStandardizeLabel { get; set; }

    [CommandOption("--skip-non-finite")]
    [Description("Skip rows with a NaN or infinite feature (or, for a regression, label) instead of failing.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.SkipRowsWithNonFiniteFeatures))]
    public bool SkipNonFinite { get; set; }

    /// <summary>Sets every trainer-bound setting to the trainer's default (Spectre.Console.Cli sets them again when parsing).</summary>
    protected TrainerSettings() => TrainerDefaultAttribute.ApplyDefaults(this);

    /// <summary>The normalization these settings describe.</summary>
    public InputNormalization Normalization() => new(Normalize, NormalizeMean, NormalizeStd);

    /// <summary>The trainer options these settings describe: each setting marked <see cref="TrainerOptionAttribute"/> copied into its option.</summary>
    /// <param name="lambda">Overrides <see cref="Lambda"/> (compare trains one model per lambda).</param>
    /// <exception cref="CliException">A list setting does not parse.</exception>
    public JacobianRegularizedTrainer.Options ToTrainerOptions(double? lambda = null) => ToTrainerOptions<JacobianRegularizedTrainer.Options>(lambda);

    /// <summary>
    /// The options of the trainer for <paramref name="task"/>: the shared settings (<see cref="ToTrainerOptions(double?)"/>)
    /// and, for a regression, the loss, label standardization and <c>--skip-non-finite</c> for labels.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="lambda">Overrides <see cref="Lambda"/>.</param>
    /// <exception cref="CliException">A list setting does not parse, or a regression setting is given for another task.</exception>
    public JacobianRegularizedOptions OptionsFor(Data.LearningTask task, double? lambda = null)
    {
        if (task != Data.LearningTask.Regression && (Loss is not null || HuberDelta is not null || NoStandardizeLabel))
        {
            throw CliException.InvalidArgument($"--loss, --huber-delta and --no-standardize-label apply to --task regression; this is a {task.ToString().ToLowerInvariant()} task.");
        }

        return task switch
        {
            Data.LearningTask.Binary => ToTrainerOptions<JacobianRegularizedBinaryTrainer.Options>(lambda),
            Data.LearningTask.Regression => WithRegressionSettings(ToTrainerOptions<JacobianRegularizedRegressionTrainer.Options>(lambda)),
            _ => ToTrainerOptions(lambda),
        };
    }

    private JacobianRegularizedRegressionTrainer.Options WithRegressionSettings(JacobianRegularizedRegressionTrainer.Options options)
    {
        options.LossFunction = Loss ?? options.LossFunction;
        options.HuberDelta = HuberDelta ?? options.HuberDelta;
        options.StandardizeLabel = !NoStandardizeLabel;
        options.SkipRowsWithNonFiniteLabels = SkipNonFinite;
        return options;
    }

    private TOptions ToTrainerOptions<TOptions>(double? lambda)
        where TOptions : JacobianRegularizedOptions, new()
    {
        var options = new TOptions
        {
            LabelColumnName = Data.LoadedData.LabelColumnName,
            FeatureColumnName = Data.LoadedData.FeatureColumnName,
            Seed = Seed,
        };
        foreach ((PropertyInfo setting, TrainerDefaultAttribute binding) in TrainerDefaultAttribute.Marked(GetType()))
        {
            if (binding is not TrainerOptionAttribute) continue;
            PropertyInfo option = typeof(TOptions).GetProperty(binding.Option) ?? TrainerDefaultAttribute.OptionProperty(binding.Option);
            object? value = setting.GetValue(this);
            if (binding.Negated) value = !(bool)value!;
            if (option.PropertyType == typeof(int[])) value = ParseHiddenLayers((string)value!);
            else if (option.PropertyType == typeof(IReadOnlyList<LayerSpec>)) value = ParseLayers((string?)value);
            else if (option.PropertyType == typeof(ImageShape)) value = ParseImageShape((string?)value);
            else if (option.PropertyType == typeof(double[])) value = ParseNumbers((string)value!, FlagOf(setting));
            option.SetValue(options, value);
        }

        if (lambda is double weight) options.JacobianWeight = weight;
        return options;
    }

    /// <summary>
    /// Checks the settings with the trainer's own validation (<see cref="JacobianRegularizedOptions.Validate"/>),
    /// reporting its first error under the setting's flag and value; then the rules that concern only the tool.
    /// </summary>
    public override ValidationResult Validate()
    {
        ValidationResult data = base.Validate();
        if (!data.Successful) return data;
        try
        {
            ToTrainerOptions().Validate();
        }
        catch (CliException exception)
        {
            return ValidationResult.Error(exception.Message);
        }
        catch (ArgumentException exception) when (exception.ParamName is not null)
        {
            return ValidationResult.Error(OptionError(exception));
        }

        if (ValidationFraction is double v && !(v > 0 && v < 1)) return ValidationResult.Error($"--validation-fraction {Format(v)} must be in (0, 1).");
        if (EarlyStoppingPatience is int patience && ValidationFraction is null)
        {
            return ValidationResult.Error($"--early-stopping-patience {patience} needs validation data; add --validation-fraction.");
        }

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

    /// <summary>
    /// An error of the trainer's options as the tool's: <c>Options.Name requirement.</c> becomes
    /// <c>--flag value requirement.</c>, and every other <c>Options.Name</c> it mentions becomes that option's flag.
    /// </summary>
    private string OptionError(ArgumentException exception)
    {
        Dictionary<string, PropertyInfo> settings = TrainerDefaultAttribute.Marked(GetType())
            .Where(m => m.Attribute is TrainerOptionAttribute)
            .ToDictionary(m => m.Attribute.Option, m => m.Property);
        // ArgumentException appends " (Parameter 'name')" and, for out-of-range values, a line with the value.
        string message = exception.Message.Split('\n')[0];
        string parameter = $" (Parameter '{exception.ParamName}')";
        if (message.EndsWith(parameter, StringComparison.Ordinal)) message = message[..^parameter.Length];
        string requirement = message.StartsWith($"Options.{exception.ParamName} ", StringComparison.Ordinal)
            ? message[$"Options.{exception.ParamName} ".Length..]
            : message;
        foreach ((string option, PropertyInfo property) in settings) requirement = requirement.Replace($"Options.{option}", FlagOf(property), StringComparison.Ordinal);
        if (!settings.TryGetValue(exception.ParamName!, out PropertyInfo? setting)) return requirement;
        object? value = setting.GetValue(this);
        string shown = value switch
        {
            bool => string.Empty,
            string text => $" '{text}'",
            double number => " " + Format(number),
            IFormattable other => " " + other.ToString(null, CultureInfo.InvariantCulture),
            _ => string.Empty,
        };
        return $"{FlagOf(setting)}{shown} {requirement}";
    }

    /// <summary>
    /// A message of the trainer with every <c>Options.Name</c> of an option the tool binds replaced by its flag (for
    /// errors raised while fitting, such as layers that do not fit the image).
    /// </summary>
    public static string WithFlags(string message)
    {
        foreach ((PropertyInfo property, TrainerDefaultAttribute binding) in TrainerDefaultAttribute.Marked(typeof(CompareSettings)).Concat(TrainerDefaultAttribute.Marked(typeof(TrainSettings))))
        {
            if (binding is TrainerOptionAttribute) message = message.Replace($"Options.{binding.Option}", FlagOf(property), StringComparison.Ordinal);
        }

        return message
            .Replace($"Options.{nameof(JacobianRegularizedRegressionTrainer.Options.HuberDelta)}", "--huber-delta", StringComparison.Ordinal)
            .Replace($"Options.{nameof(JacobianRegularizedRegressionTrainer.Options.LossFunction)}", "--loss", StringComparison.Ordinal);
    }

    /// <summary>The long flag of a setting, for example <c>--learning-rate</c>.</summary>
    private static string FlagOf(PropertyInfo setting) =>
        "--" + setting.GetCustomAttribute<CommandOptionAttribute>()!.LongNames[0];

    /// <summary>Parses <c>--layers</c> with the library's <see cref="NetworkLayers.Parse"/> (its message names the layer's position and word); null when not given.</summary>
    public static IReadOnlyList<LayerSpec>? ParseLayers(string? text) => ParseWith(text, "--layers", NetworkLayers.Parse);

    /// <summary>Parses <c>--image-shape</c> (<c>CxHxW</c>) with <see cref="Network.ImageShape.Parse"/>; null when not given.</summary>
    public static ImageShape? ParseImageShape(string? text) => ParseWith(text, "--image-shape", Network.ImageShape.Parse);

    /// <summary>The library's parse of a setting's text, its <see cref="FormatException"/> under the setting's flag; null when not given.</summary>
    private static T? ParseWith<T>(string? text, string flag, Func<string, T> parse)
        where T : class
    {
        if (text is null) return null;
        try
        {
            return parse(text);
        }
        catch (FormatException exception)
        {
            throw new CliException(ExitCode.InvalidArguments, $"{flag}: {Guard.OneLine(exception.Message)}", exception);
        }
    }

    /// <summary>
    /// The options to train on <paramref name="data"/>: with <c>--layers</c> and no <c>--image-shape</c>, the data's own
    /// image shape (IDX folders, the embedded digits, <c>--image-width</c>/<c>--image-height</c>); a given shape must
    /// hold the data's feature count.
    /// </summary>
    /// <exception cref="CliException">The given shape does not hold the data's features.</exception>
    public static void FitImageShape(JacobianRegularizedOptions options, Data.LoadedData data)
    {
        if (options.ImageShape is { } given)
        {
            if (given.FeatureCount != data.FeatureCount)
            {
                string dataShape = data.Image is { } image ? $" (an image of {image})" : "";
                throw CliException.InvalidArgument(string.Create(CultureInfo.InvariantCulture,
                    $"--image-shape {given} holds {given.FeatureCount} features, but {data.Source} has {data.FeatureCount}{dataShape}."));
            }

            return;
        }

        if (options.Layers is not null) options.ImageShape = data.Image;
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
