using System.Globalization;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The <c>train-shards</c> command: the measurement behind <see cref="MLNetJacobian.Network.RowSharding"/>'s rule.
/// For small and usual batches, the training step on one thread, on two threads as one pass with GEMM bands, and on
/// two threads in two row shards whatever the batch size, in interleaved rounds; prints medians and ratios.
/// </summary>
public static class ShardRuleTable
{
    private const int Seed = 5;

    /// <summary>Runs the measurement and prints the table.</summary>
    /// <param name="arguments">The options (<c>--seconds</c> timed per configuration, <c>--rounds</c>).</param>
    public static void Run(BenchmarkArguments arguments)
    {
        Console.WriteLine($"train-shards: {arguments.Rounds} interleaved rounds, ~{arguments.Seconds:F1} s timed per configuration, " +
            $"{Environment.ProcessorCount} processors, load average {TrainTable.LoadAverage()}.");
        MnistSplit training = MnistFiles.ReadTraining(arguments.MnistFolder);
        var cases = new List<TrainingCase>();
        foreach (int batch in new[] { 8, 16, 32, 64, 128 })
        {
            cases.Add(new TrainingCase([256, 256], batch, PenaltyMode.Projection));
        }

        cases.Add(new TrainingCase([1024, 1024], 16, PenaltyMode.Projection));
        cases.Add(new TrainingCase([1024, 1024], 32, PenaltyMode.Projection));
        var contenders = new List<(TrainingCase Case, string Label, EngineContender Engine, List<double> Samples, int RowsPerRound)>();
        var rowsPerRound = new Dictionary<EngineContender, int>();
        foreach (TrainingCase trainingCase in cases)
        {
            contenders.Add((trainingCase, "1T", new EngineContender(trainingCase, 1, training, Seed), [], 0));
            contenders.Add((trainingCase, "2T bands", new EngineContender(trainingCase, 2, training, Seed, StepParallelism.GemmBands), [], 0));
            contenders.Add((trainingCase, "2T shards", new EngineContender(trainingCase, 2, training, Seed, StepParallelism.ForcedShards), [], 0));
        }

        double roundSeconds = arguments.Seconds / arguments.Rounds;
        foreach (var contender in contenders)
        {
            int rows = 10 * contender.Case.BatchSize;
            contender.Engine.Run(rows);
            double seconds = contender.Engine.Run(rows);
            rowsPerRound[contender.Engine] = Math.Max(5 * contender.Case.BatchSize, (int)(rows / seconds * roundSeconds));
        }

        for (int round = 0; round < arguments.Rounds; round++)
        {
            for (int index = 0; index < contenders.Count; index++)
            {
                var contender = contenders[(index + round) % contenders.Count];
                int rows = rowsPerRound[contender.Engine];
                double seconds = contender.Engine.Run(rows);
                contender.Samples.Add(contender.Engine.RowsFor(rows) / seconds);
            }
        }

        Console.WriteLine();
        Console.WriteLine("JR n_proj=1 training step, samples/s (median of the rounds); ratios to 1T of the same case:");
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-17} {1,5} {2,9} {3,9} {4,9} {5,8} {6,8} {7,13}",
            "network", "batch", "1T", "2T bands", "2T shards", "bands", "shards", "shards/bands"));
        foreach (TrainingCase trainingCase in cases)
        {
            double Median(string label) => MedianOf(contenders.First(c => c.Case == trainingCase && c.Label == label).Samples);
            double one = Median("1T"), bands = Median("2T bands"), shards = Median("2T shards");
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-17} {1,5} {2,9:N0} {3,9:N0} {4,9:N0} {5,7:F2}x {6,7:F2}x {7,12:F2}x",
                trainingCase.NetworkLabel, trainingCase.BatchSize, one, bands, shards, bands / one, shards / one, shards / bands));
        }
    }

    private static double MedianOf(List<double> samples)
    {
        double[] sorted = [.. samples.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
    }
}
