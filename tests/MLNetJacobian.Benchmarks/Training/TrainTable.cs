using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics.X86;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The <c>train-table</c> command: end-to-end MNIST training throughput of the engine (1 and 2 threads, the
/// batch-parallel step in row shards, and on 2 threads also the one-pass step with GEMM bands) and of the PyTorch
/// peer (1 and 2 threads), plain and with the Jacobian penalty, in interleaved rounds, printed as one table of
/// medians and ratios with the peak memory.
/// </summary>
/// <remarks>
/// After a warm-up that also calibrates each engine contender's round length, every round gives each contender a
/// turn (in rotating order) of about <c>seconds / rounds</c>; the table quotes the median samples per second.
/// </remarks>
public static class TrainTable
{
    private const int Seed = 1;
    private const int WarmupBatches = 10;
    private const int PipelineRounds = 3;
    private static readonly int[] ThreadCounts = [1, 2];

    /// <summary>Runs the measurement and prints the table.</summary>
    /// <param name="arguments">The options.</param>
    public static void Run(BenchmarkArguments arguments)
    {
        Console.WriteLine($"train-table: MNIST from {arguments.MnistFolder}, {arguments.Rounds} interleaved rounds, " +
            $"~{arguments.Seconds:F1} s timed per configuration; {Environment.ProcessorCount} processors, " +
            $"AVX2+FMA {Avx2.IsSupported && Fma.IsSupported}, load average {LoadAverage()}.");
        MnistSplit training = MnistFiles.ReadTraining(arguments.MnistFolder);
        List<TrainingCase> cases = [];
        foreach ((int[] hidden, int batch) in new[] { (new[] { 200, 200 }, 64), (new[] { 256, 256 }, 128) })
        {
            foreach (PenaltyMode mode in Enum.GetValues<PenaltyMode>()) cases.Add(new TrainingCase(hidden, batch, mode));
        }

        TorchPeer? peer = null;
        string peerReason = "skipped by --no-peer";
        if (!arguments.SkipPeer) peer = TorchPeer.TryStart(["--mnist", arguments.MnistFolder], out peerReason);
        try
        {
            List<Turn> turns = RunRounds(cases, training.ToRows(), peer, peerReason, arguments);
            Console.WriteLine("ML.NET pipeline rows ...");
            IReadOnlyList<string> pipelineLines = PipelineComparison.Run(training, PipelineRounds);
            TrainTableReport.Print(cases, turns, peer, pipelineLines,
                "End-to-end training throughput on MNIST, samples/s (median of the rounds); SGD lr 0.01 momentum 0.9 wd 5e-4,\n" +
                "lambda 0.1; 'JR p=0.25' penalises a random quarter of each batch (scaled by 4); 'JR exact' = all 10 basis vectors.");
        }
        finally
        {
            peer?.Dispose();
        }
    }

    /// <summary>
    /// Builds every contender of <paramref name="cases"/> (the engine's sharded step at 1 and 2 threads, the peer at 1
    /// and 2 threads, the engine's GEMM-band step at 2 threads), warms each up and runs the interleaved rounds.
    /// </summary>
    /// <param name="cases">The configurations.</param>
    /// <param name="rows">The training rows, shared by every engine contender.</param>
    /// <param name="peer">The started peer, or null.</param>
    /// <param name="peerReason">Why the peer is absent, when it is.</param>
    /// <param name="arguments">Seconds and rounds.</param>
    /// <returns>Every contender's turn with its samples.</returns>
    /// <param name="includeBands">Whether to add the 2-thread GEMM-band step of every case.</param>
    public static List<Turn> RunRounds(IReadOnlyList<TrainingCase> cases, BenchmarkRows rows, TorchPeer? peer, string peerReason, BenchmarkArguments arguments,
        bool includeBands = true)
    {
        Console.WriteLine(peer is null ? $"PyTorch peer: SKIPPED ({peerReason})." : $"PyTorch peer: {peer.Version} (Debian python3-torch), same data and settings.");
        if (peer is not null) Console.WriteLine($"  {Peers.PeerEnvironment.DescribeSystemBlas()}\n  peer's BLAS: {peer.Blas}");
        var turns = new List<Turn>();
        foreach (TrainingCase trainingCase in cases)
        {
            foreach (int threads in ThreadCounts)
            {
                long before = GC.GetTotalMemory(forceFullCollection: true);
                var engine = new EngineContender(trainingCase, threads, rows, Seed);
                turns.Add(Turn.ForEngine(engine, GC.GetTotalMemory(forceFullCollection: true) - before));
                if (peer is not null) turns.Add(Turn.ForPeer(peer, trainingCase, threads));
            }

            // The step before row sharding (one pass, GEMMs split into bands), for the 2T comparison.
            if (includeBands) turns.Add(Turn.ForEngine(new EngineContender(trainingCase, 2, rows, Seed, StepParallelism.GemmBands), 0));
        }

        double roundSeconds = arguments.Seconds / arguments.Rounds;
        Console.Write("warm-up");
        foreach (Turn turn in turns)
        {
            turn.WarmUp(roundSeconds);
            Console.Write('.');
        }

        Console.WriteLine();
        for (int round = 0; round < arguments.Rounds; round++)
        {
            Console.Write($"round {round + 1}/{arguments.Rounds} ");
            for (int index = 0; index < turns.Count; index++)
            {
                turns[(index + round * 3) % turns.Count].Measure(roundSeconds);
                if (index % 4 == 3) Console.Write('.');
            }

            Console.WriteLine();
        }

        return turns;
    }

    /// <summary>The 1-minute load average, when the OS reports it.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>One contender's place in the rounds: an engine configuration or the peer's, and its samples.</summary>
    public sealed class Turn
    {
        private readonly EngineContender? _engine;
        private readonly TorchPeer? _peer;
        private int _rowsPerRound;

        private Turn(TrainingCase trainingCase, int threads, EngineContender? engine, TorchPeer? peer, long footprintBytes)
        {
            Parallelism = engine?.Parallelism ?? StepParallelism.Shards;
            FootprintBytes = footprintBytes;
            Case = trainingCase;
            Threads = threads;
            this._engine = engine;
            this._peer = peer;
        }

        /// <summary>The configuration.</summary>
        public TrainingCase Case { get; }

        /// <summary>Threads.</summary>
        public int Threads { get; }

        /// <summary>How an engine turn's step uses its threads (<see cref="StepParallelism.Shards"/> for the peer).</summary>
        public StepParallelism Parallelism { get; }

        /// <summary>The managed memory an engine contender holds (network, objective buffers, data window); 0 for the peer.</summary>
        public long FootprintBytes { get; }

        /// <summary>Whether this is the engine (otherwise the peer).</summary>
        public bool IsEngine => _engine is not null;

        /// <summary>Samples per second of each timed round.</summary>
        public List<double> Samples { get; } = [];

        /// <summary>The engine's steady-state bytes allocated per step (NaN for the peer).</summary>
        public double AllocatedBytesPerStep => _engine?.AllocatedBytesPerStep ?? double.NaN;

        /// <summary>The median of <see cref="Samples"/>.</summary>
        public double Median
        {
            get
            {
                if (Samples.Count == 0) return double.NaN;
                double[] sorted = [.. Samples.Order()];
                int middle = sorted.Length / 2;
                return sorted.Length % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
            }
        }

        /// <summary>An engine turn.</summary>
        /// <param name="engine">The contender.</param>
        /// <param name="footprintBytes">Managed bytes it holds.</param>
        public static Turn ForEngine(EngineContender engine, long footprintBytes) => new(engine.Case, engine.Threads, engine, null, footprintBytes);

        /// <summary>A peer turn.</summary>
        public static Turn ForPeer(TorchPeer peer, TrainingCase trainingCase, int threads) => new(trainingCase, threads, null, peer, 0);

        /// <summary>Untimed steps, and for the engine the calibration of its round length.</summary>
        public void WarmUp(double roundSeconds)
        {
            if (_engine is not null)
            {
                int rows = WarmupBatches * Case.BatchSize;
                _engine.Run(rows);
                double seconds = _engine.Run(rows);
                _rowsPerRound = Math.Max(5 * Case.BatchSize, (int)(rows / seconds * roundSeconds));
            }
            else
            {
                _peer!.Run(Case, Threads, 0.05, WarmupBatches);
            }
        }

        /// <summary>One timed round.</summary>
        public void Measure(double roundSeconds)
        {
            if (_engine is not null)
            {
                double seconds = _engine.Run(_rowsPerRound);
                Samples.Add(_engine.RowsFor(_rowsPerRound) / seconds);
            }
            else
            {
                Samples.Add(_peer!.Run(Case, Threads, roundSeconds, 0));
            }
        }
    }

    /// <summary>Formats a number of samples per second.</summary>
    public static string Rate(double value) =>
        double.IsNaN(value) ? "-" : value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Elapsed time helper for reports.</summary>
    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s";

    /// <summary>The process's peak working set in MiB.</summary>
    public static double PeakWorkingSetMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
