using BenchmarkDotNet.Running;
using MLNetJacobian.Benchmarks.Gemm;
using MLNetJacobian.Benchmarks.Training;

namespace MLNetJacobian.Benchmarks;

/// <summary>
/// Entry point. Console commands: <c>gemm-table [rounds] [--cold] [--avx2-forced]</c> (the interleaved GEMM comparison, 201 rounds unless told; --cold rotates
/// through copies of the operands larger than the caches, as a training step meets them; --avx2-forced adds OpenBLAS
/// on the kernels OPENBLAS_CORETYPE forces, Haswell unless the environment says otherwise),
/// <c>train-table [--mnist DIR] [--seconds N] [--rounds N] [--no-peer]</c> (end-to-end training throughput against
/// PyTorch), <c>tabular-table [--data FILE] [--seconds N] [--rounds N] [--no-peer]</c> (the same for one-output regression
/// networks on the taxi fares), <c>train-profile [--mnist DIR] [--seconds N] [--sharded [--rounds N]]</c> (where a training step's time goes; --sharded:
/// the batch-parallel step at 1 and 2 threads),
/// <c>train-shards [--mnist DIR] [--seconds N] [--rounds N]</c> (row shards against GEMM bands on two threads: the sharding rule),
/// <c>mnist-reference [--mnist DIR] [--output DIR]</c> (the full-MNIST reference runs),
/// <c>conv-table [--seconds N] [--rounds N] [--no-peer]</c> (the LeNet training step against PyTorch, and where its time goes; conv-profile: only where it goes),
/// <c>lenet-figures --models DIR [--output DIR]</c> (adversarial images and decision cells of lenet-mnist's networks),
/// <c>lenet-mnist [--epochs N] [--runs jr,plain,...] [--attack-rows N]</c> (the paper's convolutional MNIST setting, with robustness),
/// <c>mnist-ablation [--seeds 1,2,3] [--configs base,bias-uniform,...] [--epochs N] [--threads N] [--output DIR]</c> (what
/// separates the trainer from the PyTorch reference at lambda 0.1: bias initialization, shuffle window, decay on biases),
/// <c>robustness-pgd [rounds] [epochs]</c> (PGD throughput against PyTorch), <c>robustness-mnist [examples] [epochs]
/// [folder]</c> (the lambda 0 vs 0.1 robustness comparison), <c>robustness-apgd [rounds]</c> (APGD with and without
/// early stopping on the digits) and <c>robustness-probe</c>.
/// Anything else goes to BenchmarkDotNet's switcher over every benchmark class in this assembly.
/// </summary>
public static class Program
{
    /// <summary>Runs the console table or the benchmarks named on the command line.</summary>
    public static int Main(string[] args)
    {
        // OpenBLAS (in this process) and the peers run on their own kernels: without the variables that force them
        // onto narrower ones, which this re-execution removes before any library is loaded (see PeerEnvironment).
        if (Peers.PeerEnvironment.RunCleanIfForced(args) is int exitCode) return exitCode;
        Run(args);
        return 0;
    }

    private static void Run(string[] args)
    {
        string command = args.Length > 0 ? args[0] : "";
        switch (command)
        {
            case "gemm-table":
                string? roundsArgument = args.Skip(1).FirstOrDefault(argument => !argument.StartsWith("--", StringComparison.Ordinal));
                int rounds = roundsArgument is null ? 201 : int.Parse(roundsArgument, System.Globalization.CultureInfo.InvariantCulture);
                GemmTable.Run(rounds, cold: args.Contains("--cold"), forced: args.Contains("--avx2-forced"));
                return;
            case "train-table":
                TrainTable.Run(BenchmarkArguments.Parse(args.AsSpan(1)));
                return;
            case "tabular-table":
                TabularTable.Run(BenchmarkArguments.Parse(args.AsSpan(1)));
                return;
            case "train-shards":
                Training.ShardRuleTable.Run(BenchmarkArguments.Parse(args.AsSpan(1)));
                return;
            case "train-profile" when args.Contains("--sharded"):
                Training.ShardedProfile.Run(BenchmarkArguments.Parse(args.Skip(1).Where(arg => arg != "--sharded").ToArray()));
                return;
            case "train-profile":
                TrainingProfile.Run(BenchmarkArguments.Parse(args.AsSpan(1)));
                return;
            case "mnist-reference":
                MnistReference.Run(BenchmarkArguments.Parse(args.AsSpan(1)));
                return;
            case "conv-profile":
                ConvTable.RunProfile(BenchmarkArguments.Parse(args.AsSpan(1)));
                return;
            case "conv-table":
                ConvTable.Run(BenchmarkArguments.Parse(args.AsSpan(1)));
                return;
            case "lenet-figures":
                LeNetFigures.Run(args.AsSpan(1));
                return;
            case "lenet-mnist":
                LeNetMnist.Run(args.AsSpan(1));
                return;
            case "mnist-ablation":
                MnistAblation.Run(args.AsSpan(1));
                return;
            case "robustness-probe":
                Robustness.GradientProbe.Run();
                return;
            case "robustness-mnist":
                Robustness.MnistRobustnessComparison.Run(args[1..]);
                return;
            case "robustness-apgd":
                Robustness.ApgdEarlyStoppingTable.Run(args[1..]);
                return;
            case "robustness-pgd":
                Robustness.PgdThroughputTable.Run(args[1..]);
                return;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return;
        }
    }
}
