using System.Numerics;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Tests.Training.Objective;
using MLNetJacobian.Training;

namespace MLNetJacobian.Tests.Training.Sharding;

/// <summary>
/// The batch-parallel step: a sharded batch's loss and gradient equal the one-shard objective's to round-off when
/// both see the same projections and penalty rows; one thread and small batches give the wrapped objective exactly.
/// </summary>
public sealed class ShardedObjectiveTests
{
    public enum PenaltyKind
    {
        OneProjection,
        ExactNorm,
        HalfOfTheRows,
        Plain,
    }

    private static readonly NetworkArchitecture TanhArchitecture = new(5, [7, 6], 4, Activation.Tanh);
    private static readonly NetworkArchitecture ReluArchitecture = new(5, [8], 3, Activation.Relu);

    public static TheoryData<PenaltyKind, int, int, bool> Cases()
    {
        var data = new TheoryData<PenaltyKind, int, int, bool>();
        foreach (PenaltyKind kind in Enum.GetValues<PenaltyKind>())
        {
            data.Add(kind, 2, 40, true);
            data.Add(kind, 3, 48, false);
        }

        data.Add(PenaltyKind.HalfOfTheRows, 2, 36, true);   // shards of 18: 9 penalty rows each
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_Double_EqualsOneShardGradient(PenaltyKind kind, int threads, int rows, bool tanh) =>
        CheckAgainstOneShard<double>(kind, threads, rows, tanh, 1e-12);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_Float_EqualsOneShardGradient(PenaltyKind kind, int threads, int rows, bool tanh) =>
        CheckAgainstOneShard<float>(kind, threads, rows, tanh, 2e-5);

    [Fact]
    public void Compute_OneThread_IsTheWrappedObjectiveBitForBit()
    {
        var testCase = ObjectiveTestCase.Create(TanhArchitecture, 40, seed: 3);
        var options = new JacobianPenaltyOptions(0.3, SampleFraction: 0.5);
        var plain = new JacobianRegularizedObjective<double>(testCase.Network, new ManagedGemmProvider(1), 40, options);
        var sharded = new ShardedObjective<double>(1, 40, (gemm, capacity) => new JacobianRegularizedObjective<double>(testCase.Network, gemm, capacity, options));
        var expected = new double[testCase.Network.ParameterCount];
        var actual = new double[expected.Length];
        BatchLoss expectedLoss = plain.Compute(testCase.Inputs, testCase.Targets, testCase.Weights, 40, expected, new Random(8));
        BatchLoss actualLoss = sharded.Compute(testCase.Inputs, testCase.Targets, testCase.Weights, 40, actual, new Random(8));
        Assert.Equal(expectedLoss, actualLoss);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Compute_BatchTooSmallToShard_RunsUnshardedWithTheCallersRandom()
    {
        int rows = 2 * RowSharding.MinimumRowsPerShard - 1;
        var testCase = ObjectiveTestCase.Create(TanhArchitecture, rows, seed: 4);
        var options = new JacobianPenaltyOptions(0.3, ProjectionCount: 2);
        var plain = new JacobianRegularizedObjective<double>(testCase.Network, new ManagedGemmProvider(1), rows, options);
        var sharded = new ShardedObjective<double>(2, 64, (gemm, capacity) => new JacobianRegularizedObjective<double>(testCase.Network, gemm, capacity, options));
        Assert.Equal(1, sharded.ShardCountFor(rows));
        Assert.Equal(2, sharded.ShardCountFor(64));
        var expected = new double[testCase.Network.ParameterCount];
        var actual = new double[expected.Length];
        BatchLoss expectedLoss = plain.Compute(testCase.Inputs, testCase.Targets, testCase.Weights, rows, expected, new Random(9));
        BatchLoss actualLoss = sharded.Compute(testCase.Inputs, testCase.Targets, testCase.Weights, rows, actual, new Random(9));
        Assert.Equal(expectedLoss, actualLoss);
        Assert.Equal(expected, actual);   // the GEMM's results do not depend on its thread count
    }

    [Fact]
    public void Compute_SameSeed_SameResultsEveryCall()
    {
        var testCase = ObjectiveTestCase.Create(TanhArchitecture, 64, seed: 5);
        var options = new JacobianPenaltyOptions(0.3, SampleFraction: 0.25);
        var sharded = new ShardedObjective<double>(2, 64, (gemm, capacity) => new JacobianRegularizedObjective<double>(testCase.Network, gemm, capacity, options));
        var first = new double[testCase.Network.ParameterCount];
        var second = new double[first.Length];
        var third = new double[first.Length];
        BatchLoss firstLoss = sharded.Compute(testCase.Inputs, testCase.Targets, testCase.Weights, 64, first, new Random(11));
        BatchLoss secondLoss = sharded.Compute(testCase.Inputs, testCase.Targets, testCase.Weights, 64, second, new Random(11));
        sharded.Compute(testCase.Inputs, testCase.Targets, testCase.Weights, 64, third, new Random(12));
        Assert.Equal(firstLoss, secondLoss);
        Assert.Equal(first, second);
        Assert.NotEqual(first, third);   // the seed reaches the shards' projections and penalty rows
    }

    [Fact]
    public void Compute_ShardWithZeroWeights_ContributesNothingButCountsItsRows()
    {
        const int rows = 40;
        var testCase = ObjectiveTestCase.Create(TanhArchitecture, rows, seed: 6);
        double[] weights = testCase.Weights.ToArray();
        for (int i = 20; i < rows; i++) weights[i] = 0;   // all of shard 1
        var options = new JacobianPenaltyOptions(0.3, ExactNorm: true);
        var oneShard = new JacobianRegularizedObjective<double>(testCase.Network, new ManagedGemmProvider(1), rows, options);
        var sharded = new ShardedObjective<double>(2, rows, (gemm, capacity) => new JacobianRegularizedObjective<double>(testCase.Network, gemm, capacity, options));
        var expected = new double[testCase.Network.ParameterCount];
        var actual = new double[expected.Length];
        BatchLoss expectedLoss = oneShard.Compute(testCase.Inputs, testCase.Targets, weights, rows, expected, new Random(1));
        BatchLoss actualLoss = sharded.Compute(testCase.Inputs, testCase.Targets, weights, rows, actual, new Random(1));
        AssertClose(expected, actual, 1e-12);
        Assert.Equal(expectedLoss.Correct, actualLoss.Correct);
        Assert.Equal(rows, actualLoss.Rows);
        Assert.Equal(expectedLoss.Loss, actualLoss.Loss, 12);
    }

    [Fact]
    public void Compute_BadLabelInSecondShard_NamesItsRowInTheBatch()
    {
        var testCase = ObjectiveTestCase.Create(ReluArchitecture, 40, seed: 7);
        double[] targets = testCase.Targets;
        targets[33] = 3;
        var sharded = new ShardedObjective<double>(2, 40,
            (gemm, capacity) => new JacobianRegularizedObjective<double>(testCase.Network, gemm, capacity, new JacobianPenaltyOptions(0.1)));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            sharded.Compute(testCase.Inputs, targets, [], 40, new double[testCase.Network.ParameterCount], new Random(1)));
        Assert.Contains("row 33", error.Message);   // its index in the batch, not in its shard
    }

    [Theory]
    [InlineData("squared", 2)]
    [InlineData("sigmoid", 3)]
    [InlineData("huber", 2)]
    public void Compute_OneOutput_EqualsOneShardGradient(string lossName, int threads)
    {
        const int rows = 48;
        OutputLoss loss = lossName switch
        {
            "squared" => OutputLoss.SquaredError,
            "sigmoid" => OutputLoss.SigmoidLogLoss,
            _ => OutputLoss.Huber(0.5),
        };
        var testCase = ObjectiveTestCase.Create(new NetworkArchitecture(5, [7], 1, Activation.Tanh), rows, seed: 30 + threads);
        var random = new Random(31);
        double[] targets = Enumerable.Range(0, rows).Select(_ => lossName == "sigmoid" ? random.Next(2) : 3 * random.NextDouble() - 1).ToArray();
        var options = new JacobianPenaltyOptions(0.4);   // one output: the exact norm, no projections
        var oneShard = new JacobianRegularizedObjective<double>(testCase.Network, new ManagedGemmProvider(1), rows, options, loss);
        var sharded = new ShardedObjective<double>(threads, rows,
            (gemm, capacity) => new JacobianRegularizedObjective<double>(testCase.Network, gemm, capacity, options, loss));
        Assert.Equal(threads, sharded.ShardCountFor(rows));
        Assert.Same(loss, sharded.Loss);
        var expected = new double[testCase.Network.ParameterCount];
        var actual = new double[expected.Length];
        BatchLoss expectedLoss = oneShard.Compute(testCase.Inputs, targets, testCase.Weights, rows, expected, new Random(1));
        BatchLoss actualLoss = sharded.Compute(testCase.Inputs, targets, testCase.Weights, rows, actual, new Random(1));
        AssertClose(expected, actual, 1e-12);
        Assert.Equal(expectedLoss.Loss, actualLoss.Loss, 12);
        Assert.Equal(expectedLoss.Penalty, actualLoss.Penalty, 12);
        Assert.True(expectedLoss.Penalty > 0);
    }

    /// <summary>
    /// Runs the sharded objective with fixed projections per shard and recorded penalty-row draws, then the one-shard
    /// objective on the whole batch with the same projections and (scripted) the same penalty rows in the same order.
    /// </summary>
    private static void CheckAgainstOneShard<T>(PenaltyKind kind, int threads, int rows, bool tanh, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ObjectiveTestCase testCase = ObjectiveTestCase.Create(tanh ? TanhArchitecture : ReluArchitecture, rows, seed: 10 + rows + threads);
        FeedForwardNetwork<T> network = testCase.Network.Convert<T>();
        T[] inputs = testCase.Inputs.Select(T.CreateTruncating).ToArray();
        T[] weights = testCase.Weights.Select(T.CreateTruncating).ToArray();
        T[] targets = testCase.Targets.Select(T.CreateTruncating).ToArray();
        int classCount = network.OutputSize;
        JacobianPenaltyOptions options = kind switch
        {
            PenaltyKind.OneProjection => new JacobianPenaltyOptions(0.7),
            PenaltyKind.ExactNorm => new JacobianPenaltyOptions(0.7, ExactNorm: true),
            PenaltyKind.HalfOfTheRows => new JacobianPenaltyOptions(0.7, SampleFraction: 0.5),
            _ => new JacobianPenaltyOptions(0),
        };

        var recorders = new List<RecordingObjective<T>>();
        var sharded = new ShardedObjective<T>(threads, rows, (gemm, capacity) =>
        {
            var recorder = new RecordingObjective<T>(new JacobianRegularizedObjective<T>(network, gemm, capacity, options));
            recorders.Add(recorder);
            return recorder;
        });
        int shards = sharded.ShardCountFor(rows);
        Assert.Equal(threads, shards);

        // Each shard's penalty rows: m_s = round(p n_s); the shard sizes are chosen so that they add up to m = round(p B).
        int[] starts = Enumerable.Range(0, shards + 1).Select(s => RowSharding.ShardStart(rows, shards, s)).ToArray();
        int[] subsetSizes = Enumerable.Range(0, shards).Select(s => options.SubsetSize(starts[s + 1] - starts[s])).ToArray();
        Assert.Equal(options.SubsetSize(rows), subsetSizes.Sum());
        T[] projections = ObjectiveTestCase.DrawProjections<T>(1, rows, classCount, seed: rows);
        bool random = kind is PenaltyKind.OneProjection or PenaltyKind.HalfOfTheRows;
        int offset = 0;
        for (int s = 0; s < shards && random; s++)
        {
            ((JacobianRegularizedObjective<T>)recorders[s].Inner).Projections =
                new FixedProjectionSource<T>(projections.AsSpan(offset * classCount, subsetSizes[s] * classCount), 1, subsetSizes[s], classCount);
            offset += subsetSizes[s];
        }

        var actual = new T[network.ParameterCount];
        BatchLoss actualLoss = sharded.Compute(inputs, targets, weights, rows, actual, new Random(rows));

        // The penalty rows each shard drew, in draw order, as rows of the whole batch; then the draws that make the
        // one-shard objective's partial Fisher-Yates shuffle pick exactly those rows in that order.
        var chosen = new List<int>();
        for (int s = 0; s < shards; s++)
        {
            int count = starts[s + 1] - starts[s];
            int[] order = Enumerable.Range(0, count).ToArray();
            List<int> draws = recorders[s].LastDraws;
            Assert.Equal(subsetSizes[s] < count ? subsetSizes[s] : 0, draws.Count);
            for (int j = 0; j < draws.Count; j++) (order[j], order[draws[j]]) = (order[draws[j]], order[j]);
            chosen.AddRange(order.Take(draws.Count).Select(i => starts[s] + i));
        }

        int[] globalOrder = Enumerable.Range(0, rows).ToArray();
        var script = new List<int>();
        for (int j = 0; j < chosen.Count; j++)
        {
            int position = Array.IndexOf(globalOrder, chosen[j]);
            script.Add(position);
            (globalOrder[j], globalOrder[position]) = (globalOrder[position], globalOrder[j]);
        }

        var oneShard = new JacobianRegularizedObjective<T>(network, new ManagedGemmProvider(1), rows, options);
        if (random) oneShard.Projections = new FixedProjectionSource<T>(projections.AsSpan(0, options.SubsetSize(rows) * classCount), 1, options.SubsetSize(rows), classCount);
        var expected = new T[network.ParameterCount];
        BatchLoss expectedLoss = oneShard.Compute(inputs, targets, weights, rows, expected, new ScriptedRandom(script));

        AssertClose(expected, actual, tolerance);
        Assert.Equal(expectedLoss.Correct, actualLoss.Correct);
        Assert.Equal(expectedLoss.Rows, actualLoss.Rows);
        Assert.Equal(expectedLoss.WeightSum, actualLoss.WeightSum, 9);
        double scale = Math.Max(1, Math.Abs(expectedLoss.Loss));
        Assert.True(Math.Abs(expectedLoss.Loss - actualLoss.Loss) <= tolerance * scale, $"loss {actualLoss.Loss} against {expectedLoss.Loss}");
        Assert.True(Math.Abs(expectedLoss.Penalty - actualLoss.Penalty) <= tolerance * scale, $"penalty {actualLoss.Penalty} against {expectedLoss.Penalty}");
        if (kind != PenaltyKind.Plain) Assert.True(expectedLoss.Penalty > 0);
    }

    /// <summary>Every element within <paramref name="tolerance"/> times the largest magnitude of the expected gradient.</summary>
    private static void AssertClose<T>(T[] expected, T[] actual, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double scale = expected.Max(value => Math.Abs(double.CreateTruncating(value)));
        Assert.True(scale > 0);
        for (int j = 0; j < expected.Length; j++)
        {
            double difference = Math.Abs(double.CreateTruncating(expected[j]) - double.CreateTruncating(actual[j]));
            Assert.True(difference <= tolerance * scale, $"gradient[{j}]: {actual[j]} against {expected[j]} (scale {scale:E3})");
        }
    }
}
