using BenchmarkDotNet.Running;
using MLNetJacobian.Benchmarks.Gemm;

namespace MLNetJacobian.Benchmarks;

/// <summary>
/// Entry point. <c>gemm-table [rounds]</c> prints the quick interleaved GEMM comparison; <c>robustness-pgd [rounds]
/// [epochs]</c> the PGD throughput table against PyTorch; <c>robustness-mnist [examples] [epochs] [folder]</c> the
/// lambda 0 vs 0.1 robustness comparison; anything else goes to
/// BenchmarkDotNet's switcher over every benchmark class in this assembly.
/// </summary>
public static class Program
{
    /// <summary>Runs the console table or the benchmarks named on the command line.</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "gemm-table")
        {
            int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 25;
            GemmTable.Run(rounds);
            return;
        }

        if (args.Length > 0 && args[0] == "robustness-mnist")
        {
            Robustness.MnistRobustnessComparison.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "robustness-probe")
        {
            Robustness.GradientProbe.Run();
            return;
        }

        if (args.Length > 0 && args[0] == "robustness-pgd")
        {
            Robustness.PgdThroughputTable.Run(args[1..]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
