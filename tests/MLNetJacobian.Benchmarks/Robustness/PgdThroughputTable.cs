using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MLNetJacobian.Compute;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Robustness;
using MLNetJacobian.Training;
using MLNetJacobian.Models;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Benchmarks.Robustness;

/// <summary>
/// <c>robustness-pgd [rounds] [epochs]</c>: PGD-40 L-inf at epsilon 0.1 over the 10,000 MNIST test images, this
/// library against the PyTorch peer (peers/torch_pgd.py, run with Debian's /usr/bin/python3) on the same network and
/// weights, in one run, interleaved round by round. The network (784-200-200-10 ReLU) is trained here for a few epochs
/// without penalty. PyTorch with two threads collapses on this machine; <c>--torch-two-threads</c> adds it anyway.
/// </summary>
internal static class PgdThroughputTable
{
    private const float Epsilon = 0.1f;
    private const int Steps = 40;
    private const float StepSize = 2.5f * Epsilon / Steps;
    private static int PeerBlasReported;

    public static void Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        bool peerTwoThreads = args.Contains("--torch-two-threads");
        string mnist = Training.MnistFiles.DefaultFolder;
        LabeledDataset trainRows = MnistDataset.Load(mnist, MnistSplit.Train), testRows = MnistDataset.Load(mnist, MnistSplit.Test);
        var (trainX, trainY) = (trainRows.Features, trainRows.Labels);   // pixels in [0, 1]
        var (testX, testY) = (testRows.Features, testRows.Labels);
        var architecture = new NetworkArchitecture(784, [200, 200], 10, Activation.Relu);
        var network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, new Random(1));
        var gemm = new ManagedGemmProvider(2);
        var watch = Stopwatch.StartNew();
        new NetworkTrainer<float>().Train(network, new JacobianRegularizedObjective<float>(network, gemm, 64, new JacobianPenaltyOptions(JacobianWeight: 0)),
            new InMemoryTrainingData<float>(trainX, trainY, 784, 10), null, JacobianRegularizedTrainer.EngineOptions(new() { NumberOfEpochs = epochs, BatchSize = 64 }), new Random(2), null);
        Console.WriteLine($"Trained {architecture} for {epochs} epochs in {watch.Elapsed.TotalSeconds:0.0} s (lambda 0).");

        string weights = Path.Combine(Path.GetTempPath(), $"pgd-benchmark-{Environment.ProcessId}.f32");
        File.WriteAllBytes(weights, System.Runtime.InteropServices.MemoryMarshal.AsBytes(network.Parameters).ToArray());
        try
        {
            // Contenders run interleaved, round after round (the machine is shared and noisy); medians are reported.
            var contenders = new List<(string Name, int Threads, Func<(double Seconds, double Clean, double Robust)?> Run)>();
            foreach (bool dropFooled in new[] { true, false })
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    string name = dropFooled ? "MLNetJacobian (drops fooled rows)" : "MLNetJacobian (all rows, 40 steps)";
                    contenders.Add((name, threads, () => RunOurs(network, testX, testY, threads, dropFooled)));
                }
            }

            string? peerName = null;
            contenders.Add(("PyTorch", 1, () =>
            {
                var peer = RunPeer(weights, mnist, threads: 1);
                if (peer is null) return null;
                peerName = peer.Value.Name;
                return (peer.Value.Seconds, peer.Value.Clean, peer.Value.Robust);
            }));
            if (peerTwoThreads) contenders.Add(("PyTorch", 2, () => RunPeer(weights, mnist, threads: 2) is { } p ? (p.Seconds, p.Clean, p.Robust) : null));

            var results = contenders.Select(_ => new List<(double Seconds, double Clean, double Robust)>()).ToList();
            foreach ((string _, int _, var run) in contenders) run(); // warm-up round
            for (int r = 0; r < rounds; r++)
            {
                for (int c = 0; c < contenders.Count; c++)
                {
                    if (contenders[c].Run() is { } result) results[c].Add(result);
                }
            }

            var rows = new List<(string Name, int Threads, double Seconds, double Clean, double Robust)>();
            for (int c = 0; c < contenders.Count; c++)
            {
                if (results[c].Count == 0) continue;
                string name = contenders[c].Name == "PyTorch" ? peerName ?? "PyTorch" : contenders[c].Name;
                rows.Add((name, contenders[c].Threads, Median(results[c].Select(v => v.Seconds).ToList()), results[c][^1].Clean, results[c][^1].Robust));
            }

            PrintTable(rows);
        }
        finally
        {
            File.Delete(weights);
        }
    }

    private static (double Seconds, double Clean, double Robust) RunOurs(FeedForwardNetwork<float> network, float[] testX, int[] testY, int threads, bool dropFooled)
    {
        var attack = new PgdAttack(PerturbationNorm.LInfinity, Steps, randomStart: true) { AbsoluteStepSize = StepSize, ReturnFirstAdversarial = dropFooled };
        var options = new RobustnessOptions
        {
            Epsilons = [Epsilon], Attacks = [attack], ThreadCount = threads, BatchSize = 256, BisectionSteps = 0, RunSanityChecks = false, Seed = 1,
        };
        var model = new NetworkModel<float>(network, gemm: new ManagedGemmProvider(1), maxBatchSize: 256);
        var watch = Stopwatch.StartNew();
        RobustnessReport report = RobustnessEvaluator.Evaluate(model, testX, testY, options);
        return (watch.Elapsed.TotalSeconds, report.CleanAccuracy, report.Attacks[0].Points[0].RobustAccuracy);
    }

    private static (string Name, double Seconds, double Clean, double Robust)? RunPeer(string weights, string mnist, int threads)
    {
        string script = LocatePeerScript();
        if (!File.Exists("/usr/bin/python3") || !File.Exists(script))
        {
            Console.WriteLine("PyTorch peer skipped: /usr/bin/python3 or peers/torch_pgd.py missing (apt-get install -y python3-torch).");
            return null;
        }

        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { script, "--weights", weights, "--mnist", mnist, "--eps", Epsilon.ToString("R", CultureInfo.InvariantCulture),
                "--steps", Steps.ToString(CultureInfo.InvariantCulture), "--step", StepSize.ToString("R", CultureInfo.InvariantCulture),
                "--threads", threads.ToString(CultureInfo.InvariantCulture), "--rounds", "1", "--batch", "500" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Its own best BLAS kernels (no OPENBLAS_CORETYPE), and OpenMP threads that wait passively.
        Peers.PeerEnvironment.ConfigurePeer(start);
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Console.WriteLine($"PyTorch peer failed ({process.ExitCode}): {error.Trim()}");
            return null;
        }

        using JsonDocument json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        JsonElement root = json.RootElement;
        if (root.TryGetProperty("blas", out JsonElement blas) && PeerBlasReported++ == 0)
        {
            Console.WriteLine($"{Peers.PeerEnvironment.DescribeSystemBlas()}\nPyTorch peer's BLAS: {Peers.PeerEnvironment.DescribePeerBlas(blas)}");
        }

        return ($"PyTorch {root.GetProperty("torch").GetString()} (batch 500, all rows)", root.GetProperty("seconds").GetDouble(),
            root.GetProperty("clean_accuracy").GetDouble(), root.GetProperty("robust_accuracy").GetDouble());
    }

    private static string LocatePeerScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLNetJacobian.sln"))) return Path.Combine(dir.FullName, "tests", "MLNetJacobian.Benchmarks", "peers", "torch_pgd.py");
        }

        return "peers/torch_pgd.py";
    }

    private static void PrintTable(List<(string Name, int Threads, double Seconds, double Clean, double Robust)> rows)
    {
        double bestPeer = rows.Where(r => r.Name.StartsWith("PyTorch", StringComparison.Ordinal)).Select(r => r.Seconds).DefaultIfEmpty(double.NaN).Min();
        Console.WriteLine();
        Console.WriteLine($"PGD-{Steps} L-inf, epsilon {Epsilon}, step {StepSize}, random start, 10,000 MNIST test images (medians)");
        Console.WriteLine($"| contender | threads | seconds | images/s | clean acc | robust acc | speed vs best PyTorch |");
        Console.WriteLine($"|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Name} | {row.Threads} | {row.Seconds:0.00} | {10000 / row.Seconds:0} | {100 * row.Clean:0.00}% | {100 * row.Robust:0.00}% | {bestPeer / row.Seconds:0.00}x |"));
        }
    }

    private static double Median(List<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
    }
}
