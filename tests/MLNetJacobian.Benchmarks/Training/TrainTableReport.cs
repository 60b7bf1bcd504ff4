using System.Globalization;
using System.Text;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>Prints the <c>train-table</c> results: one row per configuration, medians, ratios, targets and memory.</summary>
public static class TrainTableReport
{
    /// <summary>The target ratio of engine to PyTorch-best throughput with the penalty.</summary>
    public const double SpeedTarget = 2.0;

    /// <summary>The target ratio of two-thread to one-thread throughput with the penalty (issue 13).</summary>
    public const double ThreadScalingTarget = 1.8;

    /// <summary>The target ratio of penalised to plain step time.</summary>
    public const double StepRatioTarget = 2.4;

    /// <summary>Prints the table.</summary>
    /// <param name="cases">The configurations, in order.</param>
    /// <param name="turns">Every contender's samples.</param>
    /// <param name="peer">The peer, or null when it was skipped.</param>
    /// <param name="pipelineLines">The ML.NET pipeline comparison (<see cref="PipelineComparison"/>), printed under the verdicts.</param>
    /// <param name="description">The lines above the table: what was trained, with which settings.</param>
    /// <param name="speedTarget">The engine/torch-best target with the penalty (default <see cref="SpeedTarget"/>).</param>
    /// <param name="stepRatioTarget">The penalised/plain step-time target (default <see cref="StepRatioTarget"/>).</param>
    public static void Print(IReadOnlyList<TrainingCase> cases, IReadOnlyList<TrainTable.Turn> turns, TorchPeer? peer,
        IReadOnlyList<string> pipelineLines, string description, double speedTarget = SpeedTarget, double stepRatioTarget = StepRatioTarget)
    {
        var table = new StringBuilder();
        string header = string.Format(CultureInfo.InvariantCulture,
            "{0,-15} {1,5} {2,-12} {3,10} {4,10} {5,6} {6,9} {7,10} {8,10} {9,9} {10,10} {11,10} {12,8}",
            "network", "batch", "objective", "engine 1T", "engine 2T", "2T/1T", "2T bands", "torch 1T", "torch 2T", "eng/torch", "step/plain",
            "torch s/p", "flops");
        table.AppendLine(header).AppendLine(new string('-', header.Length));
        var verdicts = new List<string>();
        foreach (TrainingCase trainingCase in cases)
        {
            double engine1 = Find(turns, trainingCase, true, 1), engine2 = Find(turns, trainingCase, true, 2);
            double bands = Find(turns, trainingCase, true, 2, StepParallelism.GemmBands);
            double torch1 = Find(turns, trainingCase, false, 1), torch2 = Find(turns, trainingCase, false, 2);
            double engineBest = Max(engine1, engine2), torchBest = Max(torch1, torch2);
            TrainingCase plain = trainingCase with { Mode = PenaltyMode.Plain };
            double enginePlain = Max(Find(turns, plain, true, 1), Find(turns, plain, true, 2));
            double torchPlain = Max(Find(turns, plain, false, 1), Find(turns, plain, false, 2));
            double speedRatio = engineBest / torchBest, stepRatio = enginePlain / engineBest, torchStepRatio = torchPlain / torchBest;
            double flopRatio = trainingCase.MultiplyAddsPerRow / plain.MultiplyAddsPerRow;
            table.AppendLine(string.Format(CultureInfo.InvariantCulture,
                "{0,-15} {1,5} {2,-12} {3,10} {4,10} {5,6} {6,9} {7,10} {8,10} {9,9} {10,10} {11,10} {12,8}",
                trainingCase.NetworkLabel, trainingCase.BatchSize, trainingCase.ModeLabel, TrainTable.Rate(engine1), TrainTable.Rate(engine2),
                Ratio(engine2 / engine1), TrainTable.Rate(bands), TrainTable.Rate(torch1), TrainTable.Rate(torch2), Ratio(speedRatio), Ratio(stepRatio), Ratio(torchStepRatio), Ratio(flopRatio)));
            if (trainingCase.Mode == PenaltyMode.Projection)
            {
                verdicts.Add(string.Format(CultureInfo.InvariantCulture,
                    "{0} batch {1}, {11}: engine/torch-best {2} (target >= {3}: {4}); JR step / plain step {5} (target <= {6}: {7}); " +
                    "engine 2T/1T {8} (target >= {9}: {10}).",
                    trainingCase.NetworkLabel, trainingCase.BatchSize, Ratio(speedRatio), speedTarget,
                    double.IsNaN(speedRatio) ? "no peer" : speedRatio >= speedTarget ? "met" : "MISSED",
                    Ratio(stepRatio), stepRatioTarget, stepRatio <= stepRatioTarget ? "met" : "MISSED",
                    Ratio(engine2 / engine1), ThreadScalingTarget, engine2 / engine1 >= ThreadScalingTarget ? "met" : "MISSED", trainingCase.ModeLabel));
            }
        }

        Console.WriteLine();
        Console.WriteLine(description);
        Console.Write(table);
        Console.WriteLine("engine: the batch-parallel step (row shards, one-thread GEMMs; RowSharding's rule); 2T bands: one pass whose GEMMs are");
        Console.WriteLine("split into bands on 2 threads (the step before sharding).");
        Console.WriteLine("eng/torch: best engine thread count / best PyTorch thread count.  step/plain: plain throughput / this objective's");
        Console.WriteLine("throughput (= step-time ratio), best thread counts; torch s/p the same for PyTorch; flops: the multiply-add ratio.");
        Console.WriteLine();
        foreach (string verdict in verdicts) Console.WriteLine(verdict);
        Console.WriteLine();
        foreach (string line in pipelineLines) Console.WriteLine(line);
        Console.WriteLine();
        PrintSpread(turns);
        PrintMemory(turns, peer);
    }

    private static void PrintSpread(IReadOnlyList<TrainTable.Turn> turns)
    {
        Console.WriteLine("Spread of the rounds (min..max samples/s):");
        foreach (TrainTable.Turn turn in turns)
        {
            if (turn.Samples.Count == 0) continue;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-6} {1}T {2,-15} {3,-12} {4}..{5}",
                !turn.IsEngine ? "torch" : turn.Parallelism == StepParallelism.GemmBands ? "bands" : "engine", turn.Threads, turn.Case.NetworkLabel, turn.Case.ModeLabel,
                TrainTable.Rate(turn.Samples.Min()), TrainTable.Rate(turn.Samples.Max())));
        }

        Console.WriteLine();
    }

    private static void PrintMemory(IReadOnlyList<TrainTable.Turn> turns, TorchPeer? peer)
    {
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        double maxAllocated = turns.Where(turn => turn.IsEngine).Select(turn => turn.AllocatedBytesPerStep).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "Memory: this process (all {5} engine contenders and the training rows as float) peak working set {0:F0} MiB; GC heap {1:F0} MiB, " +
            "committed {2:F0} MiB, {3} gen-2 collections; steady-state allocation per step (training thread) at most {4:F0} bytes.",
            TrainTable.PeakWorkingSetMegabytes(), info.HeapSizeBytes / 1048576.0, info.TotalCommittedBytes / 1048576.0, GC.CollectionCount(2), maxAllocated, turns.Count(turn => turn.IsEngine)));
        Console.WriteLine("Managed memory held per engine contender (network, objective buffers, the data window's row order; 1 thread):");
        foreach (TrainTable.Turn turn in turns.Where(turn => turn.IsEngine && turn.Threads == 1 && turn.Parallelism == StepParallelism.Shards))
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-15} {1,-12} {2,7:F2} MiB", turn.Case.NetworkLabel, turn.Case.ModeLabel,
                turn.FootprintBytes / 1048576.0));
        }

        if (peer is not null)
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "PyTorch peer process ({1} models, the training rows as float): peak resident {0:F0} MiB.", peer.PeakResidentMegabytes, turns.Count(turn => !turn.IsEngine)));
        }
    }

    private static double Find(IReadOnlyList<TrainTable.Turn> turns, TrainingCase trainingCase, bool engine, int threads,
        StepParallelism parallelism = StepParallelism.Shards) =>
        turns.FirstOrDefault(turn => turn.IsEngine == engine && turn.Threads == threads && turn.Parallelism == parallelism && turn.Case.Mode == trainingCase.Mode &&
            turn.Case.BatchSize == trainingCase.BatchSize && turn.Case.Hidden.SequenceEqual(trainingCase.Hidden) && turn.Case.Layers == trainingCase.Layers)?.Median ?? double.NaN;

    private static double Max(double first, double second) =>
        double.IsNaN(first) ? second : double.IsNaN(second) ? first : Math.Max(first, second);

    private static string Ratio(double value) => double.IsFinite(value) ? value.ToString("F2", CultureInfo.InvariantCulture) + "x" : "-";
}
