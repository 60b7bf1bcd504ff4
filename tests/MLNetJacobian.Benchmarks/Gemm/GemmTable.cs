using System.Diagnostics;
using System.Runtime.Intrinsics.X86;

namespace MLNetJacobian.Benchmarks.Gemm;

/// <summary>
/// The quick console comparison (<c>gemm-table</c>): every contender on every training shape, in interleaved
/// rounds, printed as one table of median GFLOP/s and ratios.
/// </summary>
/// <remarks>
/// The machine is shared and noisy, so contenders take turns within each round, in an order shuffled afresh every
/// round (a fixed rotation let each contender always follow the same one: a two-thread contender left a spinning
/// worker behind for the next, and identical code measured 2-8% apart), and the table quotes medians and per-round
/// paired ratios. A batch of calls lasts about <see cref="BatchSeconds"/>: short batches pair the contenders within
/// a few milliseconds, so load that comes and goes between rounds cancels out of the ratios. The scalar reference is
/// slow, so it is timed in the first <see cref="ReferenceRounds"/> rounds only, one call each.
/// </remarks>
public static class GemmTable
{
    private const double BatchSeconds = 0.002;
    private const int ReferenceRounds = 3;
    private const double WarmUpSeconds = 1.5;

    /// <summary>Runs the comparison with <paramref name="rounds"/> rounds and prints the table.</summary>
    /// <param name="rounds">Interleaved rounds.</param>
    /// <param name="cold">Whether each call takes the next of copies of its operands larger than the caches.</param>
    /// <param name="forced">Whether to add OpenBLAS on the kernels the forcing variables select (the AVX2-forced
    /// column; see <see cref="OpenBlasLibrary.TryGetForced"/>).</param>
    public static void Run(int rounds, bool cold = false, bool forced = false)
    {
        GemmContender managed1 = GemmContender.Managed(1), managed2 = GemmContender.Managed(2);
        var contenders = new List<GemmContender> { managed1, managed2 };
        var ratios = new List<(string Label, GemmContender Numerator, GemmContender Denominator)>();
        if (new MLNetJacobian.Compute.ManagedGemmProvider(1).Kernel == MLNetJacobian.Compute.GemmKernel.Avx512)
        {
            // The AVX2 kernel beside the AVX-512 one it falls back to (the same results, bit for bit).
            foreach (int threads in new[] { 1, 2 })
            {
                GemmContender avx2 = GemmContender.Managed(threads, MLNetJacobian.Compute.GemmKernel.Avx2);
                contenders.Add(avx2);
                ratios.Add(($"{threads}T/avx2", threads == 1 ? managed1 : managed2, avx2));
            }
        }

        foreach (bool narrow in forced ? new[] { false, true } : new[] { false })
        {
            GemmContender? one = GemmContender.OpenBlas(1, narrow), two = GemmContender.OpenBlas(2, narrow);
            string suffix = narrow ? "forced" : "OpenBLAS";
            if (one is not null)
            {
                contenders.Add(one);
                ratios.Add(($"1T/{suffix}", managed1, one));
            }

            if (two is not null)
            {
                contenders.Add(two);
                ratios.Add(($"2T/{suffix}", managed2, two));
            }
        }

        contenders.Add(GemmContender.Reference());

        Console.WriteLine($"GEMM, single precision, C = op(A) op(B), {rounds} interleaved rounds, median GFLOP/s" +
            (cold ? $"; cold operands (each call takes the next of copies of A, B and C totalling {GemmWorkspace.ColdBytes >> 20} MiB)." : "; warm operands (the same A, B, C every call)."));
        Console.WriteLine($"{Environment.ProcessorCount} processors, AVX2+FMA: {Avx2.IsSupported && Fma.IsSupported}, " +
            $"AVX-512F: {Avx512F.IsSupported}; managed kernel: {new MLNetJacobian.Compute.ManagedGemmProvider(1).Kernel}");
        foreach (GemmContender contender in contenders.Where(contender => contender.Library is not null && contender.Label.EndsWith("1T", StringComparison.Ordinal)))
        {
            Console.WriteLine($"{contender.Label[..^3]}: core {contender.Library!.CoreName}, {contender.Library.Path}; {contender.Library.Configuration}");
        }

        var forcedValues = Peers.PeerEnvironment.ForcedValues;
        Console.WriteLine(forcedValues.Count == 0
            ? "The environment forces no OpenBLAS core (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset)."
            : "The environment forces " + string.Join(", ", forcedValues.Select(pair => $"{pair.Name}={pair.Value}")) +
              " on tests and CI; removed here for OpenBLAS's own kernels.");
        Console.WriteLine("NN: C = A B; TN: A stored transposed (X^T dY); NT: B stored transposed (dY W^T).");

        WarmUp(contenders);
        var rows = new List<(GemmShape Shape, double[] Medians, double Difference)>();
        var pairedRows = new List<(GemmShape Shape, double[] Ratios)>();
        var bestRows = new List<(GemmShape Shape, double[] Best, double Difference)>();
        foreach (GemmShape shape in GemmShape.TrainingShapes)
        {
            var workspace = new GemmWorkspace(shape, cold);
            SettleHeap();
            double difference = CrossCheck(workspace, contenders);
            int[] calls = contenders.Select(contender => contender.IsReference ? 1 : Calibrate(contender, workspace)).ToArray();
            var samples = contenders.Select(_ => new List<double>()).ToArray();
            var random = new Random(rounds);
            int[] order = Enumerable.Range(0, contenders.Count).ToArray();
            for (int round = 0; round < rounds; round++)
            {
                random.Shuffle(order);
                foreach (int index in order)
                {
                    if (contenders[index].IsReference && round >= ReferenceRounds) continue;
                    samples[index].Add(Measure(contenders[index], workspace, calls[index]) / 1e9);
                }
            }

            rows.Add((shape, samples.Select(Median).ToArray(), difference));
            // One sample of each contender per round: the ratio within each round, then the median over rounds.
            pairedRows.Add((shape, ratios.Select(ratio => MedianRatio(samples[contenders.IndexOf(ratio.Numerator)],
                samples[contenders.IndexOf(ratio.Denominator)])).ToArray()));
            bestRows.Add((shape, samples.Select(values => values.Count == 0 ? double.NaN : values.Max()).ToArray(), difference));
        }

        var ratioColumns = ratios.Select(ratio => (ratio.Label, contenders.IndexOf(ratio.Numerator), contenders.IndexOf(ratio.Denominator))).ToList();
        Console.WriteLine();
        Console.WriteLine("Median GFLOP/s over the rounds (the figures to quote):");
        Print(contenders, rows, ratioColumns);
        Console.WriteLine("Best round, GFLOP/s (what each reaches when the machine is quiet for a moment):");
        Print(contenders, bestRows, ratioColumns);
        if (ratios.Count > 0)
        {
            Console.WriteLine("Paired ratios, managed / the other contender within each round (median over rounds; less sensitive to load that drifts between rounds):");
            foreach (var (shape, values) in pairedRows)
            {
                Console.WriteLine($"  {shape.Label,-22} " + string.Join("   ", ratios.Select((ratio, index) => $"{ratio.Label} {values[index]:F2}x")));
            }

            Console.WriteLine();
        }

        Console.WriteLine("max |diff|: largest difference between any contender's C and the reference's (values in [-1, 1)).");
    }

    private static void Print(List<GemmContender> contenders, List<(GemmShape Shape, double[] Medians, double Difference)> rows,
        List<(string Label, int Numerator, int Denominator)> ratioColumns)
    {
        int labelWidth = rows.Max(row => row.Shape.Label.Length) + 2;
        var header = "shape".PadRight(labelWidth) + string.Concat(contenders.Select(c => c.Label.PadLeft(13)))
            + string.Concat(ratioColumns.Select(column => column.Label.PadLeft(14))) + "  max |diff|";
        Console.WriteLine(header);
        Console.WriteLine(new string('-', header.Length));
        foreach (var (shape, medians, difference) in rows)
        {
            var line = shape.Label.PadRight(labelWidth) + string.Concat(medians.Select(value => value.ToString("F1").PadLeft(13)));
            line += string.Concat(ratioColumns.Select(column => (medians[column.Numerator] / medians[column.Denominator]).ToString("F2").PadLeft(13) + "x"));
            line += difference.ToString("E1").PadLeft(12);
            Console.WriteLine(line);
        }

        Console.WriteLine();
    }

    /// <summary>Runs every contender once and returns the largest deviation from the reference's C.</summary>
    private static double CrossCheck(GemmWorkspace workspace, List<GemmContender> contenders)
    {
        workspace.Rewind();
        contenders.Single(contender => contender.IsReference).Run(workspace);
        float[] expected = (float[])workspace.C.Clone();
        double largest = 0;
        foreach (GemmContender contender in contenders)
        {
            contender.Prepare();
            Array.Fill(workspace.C, float.NaN);
            workspace.Rewind();
            contender.Run(workspace);
            for (int index = 0; index < expected.Length; index++)
            {
                largest = Math.Max(largest, Math.Abs(workspace.C[index] - expected[index]));
            }
        }

        return largest;
    }

    /// <summary>
    /// Runs every contender but the reference on every shape for about <see cref="WarmUpSeconds"/> in all, so the
    /// runtime's background compilation of the code around the kernels is done before the first measurement (the
    /// first shape's two-thread figure once came out at 0.69x where later runs said 1.12-1.14x). Warm operands serve
    /// with --cold too: the calls run the same code, without 64 MiB of copies per shape.
    /// </summary>
    private static void WarmUp(List<GemmContender> contenders)
    {
        long end = Stopwatch.GetTimestamp() + (long)(WarmUpSeconds * Stopwatch.Frequency);
        var workspaces = GemmShape.TrainingShapes.Select(shape => new GemmWorkspace(shape)).ToArray();
        while (Stopwatch.GetTimestamp() < end)
        {
            foreach (GemmWorkspace workspace in workspaces)
            {
                foreach (GemmContender contender in contenders.Where(contender => !contender.IsReference))
                {
                    contender.Prepare();
                    contender.Run(workspace);
                }
            }
        }
    }

    /// <summary>
    /// Collects the previous shape's operands (64 MiB of copies with --cold) now, blocking, so no background
    /// collection shares the cores with the measurements (with --cold the first shape's two-thread figure once came
    /// out at 0.64x, the other runs' 1.10-1.21x).
    /// </summary>
    private static void SettleHeap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    /// <summary>Warms up, then returns the number of calls that lasts about one batch.</summary>
    private static int Calibrate(GemmContender contender, GemmWorkspace workspace)
    {
        contender.Prepare();
        for (int call = 0; call < 5; call++) contender.Run(workspace);
        long start = Stopwatch.GetTimestamp();
        for (int call = 0; call < 5; call++) contender.Run(workspace);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds / 5;
        return Math.Max(1, (int)(BatchSeconds / seconds));
    }

    /// <summary>Flops per second of one batch.</summary>
    private static double Measure(GemmContender contender, GemmWorkspace workspace, int calls)
    {
        contender.Prepare();
        contender.Run(workspace);
        long start = Stopwatch.GetTimestamp();
        for (int call = 0; call < calls; call++) contender.Run(workspace);
        return workspace.Shape.Flops * (double)calls / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>The median over rounds of <c>numerator[round] / denominator[round]</c>.</summary>
    private static double MedianRatio(List<double> numerator, List<double> denominator) =>
        Median(numerator.Zip(denominator, (top, bottom) => top / bottom).ToList());

    private static double Median(List<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
