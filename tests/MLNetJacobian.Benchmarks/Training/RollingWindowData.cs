using MLNetJacobian.Training;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// Training rows for throughput rounds: each "epoch" is the next <see cref="WindowRows"/> rows of a random
/// permutation of the whole split (wrapping around, reshuffled at each wrap), so short timed rounds see fresh data
/// the way a real epoch does, and copy rows exactly as <see cref="InMemoryTrainingData{T}"/> does.
/// </summary>
public sealed class RollingWindowData : ITrainingData<float>
{
    private readonly MnistSplit split;
    private readonly int[] order;   // [N], the current permutation of the rows
    private readonly Random random;
    private int position;           // next unread entry of order
    private int remaining;          // rows left in the current window

    /// <summary>Creates the window over <paramref name="split"/>.</summary>
    /// <param name="split">The rows.</param>
    /// <param name="seed">Seed of the permutations.</param>
    public RollingWindowData(MnistSplit split, int seed)
    {
        this.split = split;
        random = new Random(seed);
        order = Enumerable.Range(0, split.Count).ToArray();
        random.Shuffle(order);
        WindowRows = split.Count;
    }

    /// <summary>The rows of one epoch (a round); at least 1.</summary>
    public int WindowRows { get; set; }

    /// <inheritdoc />
    public int FeatureCount => MnistSplit.FeatureCount;

    /// <summary>C, the number of classes.</summary>
    public int ClassCount => MnistSplit.ClassCount;

    /// <inheritdoc />
    public bool HasWeights => false;

    /// <inheritdoc />
    public long? RowCount => WindowRows;

    /// <inheritdoc />
    public void StartEpoch(Random? shuffleRandom) => remaining = WindowRows;

    /// <inheritdoc />
    public int NextBatch(Span<float> features, Span<float> targets, Span<float> weights, int maxRows)
    {
        int rows = Math.Min(maxRows, remaining);
        const int width = MnistSplit.FeatureCount;
        for (int i = 0; i < rows; i++)
        {
            if (position == order.Length)
            {
                random.Shuffle(order);
                position = 0;
            }

            int row = order[position++];
            split.Features.AsSpan(row * width, width).CopyTo(features.Slice(i * width, width));
            targets[i] = split.Labels[row];
        }

        remaining -= rows;
        return rows;
    }
}
