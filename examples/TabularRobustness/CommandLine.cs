using System.Globalization;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;

namespace TabularRobustness;

/// <summary>The parsed command line (see Program.cs for the usage); <see cref="Error"/> says what was wrong, if anything.</summary>
public sealed class CommandLine
{
    private static readonly string[] KnownDataSets = ["taxi", "bike", "cancer"];

    /// <summary>The data folder, or null for the default.</summary>
    public string? DataFolder { get; private set; }

    /// <summary>The output folder.</summary>
    public string Output { get; private set; } = "tabular-robustness";

    /// <summary>Replace files in a non-empty output folder.</summary>
    public bool Force { get; private set; }

    /// <summary>Small settings for CI.</summary>
    public bool Quick { get; private set; } = Environment.GetEnvironmentVariable("MLNETJACOBIAN_EXAMPLES_QUICK") == "1";

    /// <summary>The MLContext seed and every trainer's seed.</summary>
    public int Seed { get; private set; } = 1;

    /// <summary>The data sets to run, in order.</summary>
    public IReadOnlyList<string> DataSets { get; private set; } = KnownDataSets;

    /// <summary>The Jacobian weights of the networks given with --lambdas, or null for each data set's own (<see cref="Tuned"/>).</summary>
    public IReadOnlyList<double>? Lambdas { get; private set; }

    /// <summary>What was wrong with the arguments, or null.</summary>
    public string? Error { get; private set; }

    private readonly List<Func<NetworkSettings, NetworkSettings>> _overrides = [];

    /// <summary>Applies the network options given on the command line to a data set's tuned settings.</summary>
    public NetworkSettings Apply(NetworkSettings tuned) => _overrides.Aggregate(tuned, (s, f) => f(s));

    /// <summary>Parses <paramref name="args"/>.</summary>
    public static CommandLine Parse(string[] args)
    {
        var cli = new CommandLine();
        for (int i = 0; i < args.Length && cli.Error is null; i++)
        {
            string arg = args[i];
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            switch (arg)
            {
                case "--force": cli.Force = true; break;
                case "--quick": cli.Quick = true; break;
                case "--output": cli.Output = Value() ?? cli.Fail("--output needs a folder"); break;
                case "--seed": cli.Seed = cli.Int(arg, Value(), 0); break;
                case "--data-sets":
                    string[] sets = (Value() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    string? unknown = sets.FirstOrDefault(s => !KnownDataSets.Contains(s));
                    if (sets.Length == 0 || unknown is not null) cli.Fail($"--data-sets takes a comma-separated list of {string.Join(", ", KnownDataSets)}; got '{unknown}'");
                    cli.DataSets = sets;
                    break;
                case "--lambdas": cli.Lambdas = cli.Doubles(arg, Value()); break;
                case "--hidden":
                    int[] widths = (Value() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(w => cli.Int(arg, w, 1)).ToArray();
                    cli._overrides.Add(s => s with { HiddenLayers = widths });
                    break;
                case "--epochs": { int v = cli.Int(arg, Value(), 1); cli._overrides.Add(s => s with { Epochs = v }); break; }
                case "--batch": { int v = cli.Int(arg, Value(), 1); cli._overrides.Add(s => s with { BatchSize = v }); break; }
                case "--learning-rate": { double v = cli.Doubles(arg, Value()).Single(); cli._overrides.Add(s => s with { LearningRate = v }); break; }
                case "--weight-decay": { double v = cli.Doubles(arg, Value()).Single(); cli._overrides.Add(s => s with { WeightDecay = v }); break; }
                case "--optimizer": { var v = cli.Enum<OptimizerAlgorithm>(arg, Value()); cli._overrides.Add(s => s with { Optimizer = v }); break; }
                case "--schedule": { var v = cli.Enum<LearningRateScheduleKind>(arg, Value()); cli._overrides.Add(s => s with { Schedule = v }); break; }
                case "--activation": { var v = cli.Enum<Activation>(arg, Value()); cli._overrides.Add(s => s with { Activation = v }); break; }
                case "--loss": { var v = cli.Enum<RegressionLossFunction>(arg, Value()); cli._overrides.Add(s => s with { Loss = v }); break; }
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal) || cli.DataFolder is not null) cli.Fail($"unknown argument '{arg}' (see the usage at the top of Program.cs)");
                    else cli.DataFolder = arg;
                    break;
            }
        }

        return cli;
    }

    private string Fail(string message)
    {
        Error ??= message;
        return "";
    }

    private int Int(string option, string? text, int minimum)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= minimum) return value;
        Fail($"{option} takes a whole number of at least {minimum}; got '{text}'");
        return minimum;
    }

    private double[] Doubles(string option, string? text)
    {
        var values = new List<double>();
        foreach (string part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 && double.IsFinite(v)) values.Add(v);
            else Fail($"{option} takes finite numbers of at least 0; got '{part}'");
        }

        if (values.Count == 0) Fail($"{option} needs a value");
        return values.Count == 0 ? [0] : [.. values];
    }

    private T Enum<T>(string option, string? text) where T : struct, System.Enum
    {
        if (System.Enum.TryParse(text, ignoreCase: true, out T value) && System.Enum.IsDefined(value)) return value;
        Fail($"{option} takes one of {string.Join(", ", System.Enum.GetNames<T>())}; got '{text}'");
        return default;
    }
}
