using System.ComponentModel;
using System.Globalization;
using System.Reflection;
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

    [CommandOption("--activation <NAME>")]
    [Description("Hidden activation: Relu, Tanh, Softplus or Gelu.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.Activation))]
    public Activation Activation { get; set; }

    [CommandOption("--initializer <NAME>")]
    [Description("Weight initialization: XavierUniform or HeNormal.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.WeightInitializer))]
    public WeightInitializer Initializer { get; set; }

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

    [CommandOption("--skip-non-finite")]
    [Description("Skip rows with a NaN or infinite feature instead of failing.")]
    [TrainerOption(nameof(JacobianRegularizedTrainer.Options.SkipRowsWithNonFiniteFeatures))]
    public bool SkipNonFinite { get; set; }

    /// <summary>Sets every trainer-bound setting to the trainer's default (Spectre.Console.Cli sets them again when parsing).</summary>
    protected TrainerSettings() => TrainerDefaultAttribute.ApplyDefaults(this);

    /// <summary>The trainer options these settings describe: each setting marked <see cref="TrainerOptionAttribute"/> copied into its option.</summary>
    /// <param name="lambda">Overrides <see cref="Lambda"/> (compare trains one model per lambda).</param>
    /// <exception cref="CliException">A list setting does not parse.</exception>
    public JacobianRegularizedTrainer.Options ToTrainerOptions(double? lambda = null)
    {
        var options = new JacobianRegularizedTrainer.Options
        {
            LabelColumnName = Data.LoadedData.LabelColumnName,
            FeatureColumnName = Data.LoadedData.FeatureColumnName,
            Seed = Seed,
        };
        foreach ((PropertyInfo setting, TrainerDefaultAttribute binding) in TrainerDefaultAttribute.Marked(GetType()))
        {
            if (binding is not TrainerOptionAttribute) continue;
            PropertyInfo option = TrainerDefaultAttribute.OptionProperty(binding.Option);
            object? value = setting.GetValue(this);
            if (binding.Negated) value = !(bool)value!;
            if (option.PropertyType == typeof(int[])) value = ParseHiddenLayers((string)value!);
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

    /// <summary>The long flag of a setting, for example <c>--learning-rate</c>.</summary>
    private static string FlagOf(PropertyInfo setting) =>
        "--" + setting.GetCustomAttribute<CommandOptionAttribute>()!.LongNames[0];

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
