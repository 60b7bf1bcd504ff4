namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The <c>tabular-table</c> command: training throughput of one-output (regression) networks on the taxi fares, plain
/// and with the Jacobian penalty (exact with one output: one extra VJP row and its reverse per example), the engine
/// at 1 and 2 threads against the PyTorch peer doing the same double backward, in interleaved rounds, as one table
/// of medians and ratios (the same table as <c>train-table</c>).
/// </summary>
public static class TabularTable
{
    /// <summary>Runs the measurement and prints the table.</summary>
    /// <param name="arguments">The options; <see cref="BenchmarkArguments.DataFile"/> is the taxi-fare CSV.</param>
    public static void Run(BenchmarkArguments arguments)
    {
        string file = arguments.DataFile ?? TaxiFares.DefaultFile;
        BenchmarkRows rows = TaxiFares.Read(file);
        Console.WriteLine($"tabular-table: {rows.Name} from {file} ({rows.Count:N0} rows with fares in [1, 150], {rows.FeatureCount} features " +
            $"after one-hot encoding), {arguments.Rounds} interleaved rounds, ~{arguments.Seconds:F1} s timed per configuration; " +
            $"{Environment.ProcessorCount} processors, load average {TrainTable.LoadAverage()}.");
        List<TrainingCase> cases = [];
        foreach ((int[] hidden, int batch) in new[] { (new[] { 64, 64 }, 64), (new[] { 128, 128 }, 256) })
        {
            foreach (PenaltyMode mode in new[] { PenaltyMode.Plain, PenaltyMode.Projection })
            {
                cases.Add(new TrainingCase(hidden, batch, mode, rows.FeatureCount, 1));
            }
        }

        string peerFile = Path.Combine(Path.GetTempPath(), $"mlnetjacobian-taxi-{Environment.ProcessId}.bin");
        TorchPeer? peer = null;
        string peerReason = "skipped by --no-peer";
        try
        {
            if (!arguments.SkipPeer)
            {
                TaxiFares.WriteForPeer(rows, peerFile);
                peer = TorchPeer.TryStart(["--rows", peerFile], out peerReason);
            }

            List<TrainTable.Turn> turns = TrainTable.RunRounds(cases, rows, peer, peerReason, arguments);
            TrainTableReport.Print(cases, turns, peer, [],
                $"Training throughput on the taxi fares (regression, one output, squared error on the standardised fare), samples/s\n" +
                $"(median of the rounds); SGD lr 0.01 momentum 0.9 wd 5e-4, lambda {TrainingCase.JacobianWeight}; with one output the penalty is\n" +
                "the exact ||J||_F^2 (one VJP row seeded with 1 and its reverse), in the engine and in the peer alike.");
        }
        finally
        {
            peer?.Dispose();
            File.Delete(peerFile);
        }
    }
}
