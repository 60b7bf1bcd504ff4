using MLNetJacobian.Training;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// Training rows for throughput rounds: each "epoch" is the next <see cref="WindowRows"/> rows of a random
/// permutation of the rows (wrapping around, reshuffled at each wrap), so short timed rounds see fresh data
/// the way a real epoch does, and copy rows exactly as <see cref="InMemoryTrainingData{T}"/> does.
/// </summary>
public sealed class RollingWindowData : ITrainingData<float>
{
    private readonly BenchmarkRows rows;
    private readonly int[] order;   // [N], the current permutation of the rows
    private readonly Random random;
    private int position;           // next unread entry of order
    private int remaining;          // rows left in the current window

    /// <summary>Creates the window over an MNIST split.</summary>
    /// <param name="split">The rows.</param>
    /// <param name="seed">Seed of the permutations.</param>
    public RollingWindowData(MnistSplit split, int seed)
        : this(split.ToRows(), seed)
    {
    }

    /// <summary>Creates the window over <paramref name="rows"/>.</summary>
    /// <param name="rows">The rows.</param>
    /// <param name="seed">Seed of the permutations.</param>
    public RollingWindowData(BenchmarkRows rows, int seed)
    {
        this.rows = rows;
        random = new Random(seed);
        order = Enumerable.Range(0, rows.Count).ToArray();
        random.Shuffle(order);
        WindowRows = rows.Count;
    }

    /// <summary>The rows of one epoch (a round); at least 1.</summary>
    public int WindowRows { get; set; }

    /// <inheritdoc />
    public int FeatureCount => rows.FeatureCount;

    /// <summary>The network's outputs (the classes, or 1).</summary>
    public int ClassCount => rows.OutputCount;

    /// <inheritdoc />
    public bool HasWeights => false;

    /// <inheritdoc />
    public long? RowCount => WindowRows;

    /// <inheritdoc />
    public void StartEpoch(Random? shuffleRandom) => remaining = WindowRows;

    /// <inheritdoc />
    public int NextBatch(Span<float> features, Span<float> targets, Span<float> weights, int maxRows)
    {
        int count = Math.Min(maxRows, remaining);
        int width = rows.FeatureCount;
        for (int i = 0; i < count; i++)
        {
            if (position == order.Length)
            {
                random.Shuffle(order);
                position = 0;
            }

            int row = order[position++];
            rows.Features.AsSpan(row * width, width).CopyTo(features.Slice(i * width, width));
            targets[i] = rows.Targets[row];
        }

        remaining -= count;
        return count;
    }
}
