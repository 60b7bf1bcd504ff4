using System.Globalization;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>The options of the training commands: <c>--mnist DIR</c>, <c>--data FILE</c>, <c>--seconds N</c>, <c>--rounds N</c>, <c>--output DIR</c>, <c>--threads N</c>, <c>--seed N</c>, <c>--no-peer</c>.</summary>
public sealed record BenchmarkArguments
{
    /// <summary>The MNIST folder (IDX files, plain or .gz).</summary>
    public string MnistFolder { get; init; } = MnistFiles.DefaultFolder;

    /// <summary>Timed seconds per configuration, summed over the rounds.</summary>
    public double Seconds { get; init; } = 5;

    /// <summary>Interleaved rounds.</summary>
    public int Rounds { get; init; } = 5;

    /// <summary>Where mnist-reference writes its trained models.</summary>
    public string OutputFolder { get; init; } = "/tmp/mlnetjacobian-models";

    /// <summary>GEMM threads for the commands that use one count (mnist-reference, train-profile), or null for every processor.</summary>
    public int? Threads { get; init; }

    /// <summary>The seed of mnist-reference's runs, or null for its default.</summary>
    public int? Seed { get; init; }

    /// <summary>The data file of the commands that read one (tabular-table: the taxi-fare CSV), or null for the shared copy.</summary>
    public string? DataFile { get; init; }

    /// <summary>Whether to skip the PyTorch peer.</summary>
    public bool SkipPeer { get; init; }

    /// <summary>Parses the arguments after the command name.</summary>
    /// <param name="args">The arguments, e.g. <c>--mnist /data --seconds 10</c>.</param>
    public static BenchmarkArguments Parse(ReadOnlySpan<string> args)
    {
        var parsed = new BenchmarkArguments();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name == "--no-peer")
            {
                parsed = parsed with { SkipPeer = true };
                continue;
            }

            if (i + 1 >= args.Length) throw new ArgumentException($"Option '{name}' needs a value.", nameof(args));
            string value = args[++i];
            parsed = name switch
            {
                "--mnist" => parsed with { MnistFolder = value },
                "--data" => parsed with { DataFile = value },
                "--seconds" => parsed with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--rounds" => parsed with { Rounds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--output" => parsed with { OutputFolder = value },
                "--seed" => parsed with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--threads" => parsed with { Threads = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option '{name}' (known: --mnist, --data, --seconds, --rounds, --output, --threads, --seed, --no-peer).", nameof(args)),
            };
        }

        if (!(parsed.Seconds > 0)) throw new ArgumentOutOfRangeException(nameof(args), parsed.Seconds, "--seconds must be positive.");
        if (parsed.Rounds < 1) throw new ArgumentOutOfRangeException(nameof(args), parsed.Rounds, "--rounds must be at least 1.");
        return parsed;
    }
}
