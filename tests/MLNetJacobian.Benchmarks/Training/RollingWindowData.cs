using MLNetJacobian.Training;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// Training rows for throughput rounds: each "epoch" is the next <see cref="WindowRows"/> rows of a random
/// permutation of the rows (wrapping around, reshuffled at each wrap), so short timed rounds see fresh data
/// the way a real epoch does, and copy rows exactly as <see cref="InMemoryTrainingData{T}"/> does.
/// </summary>
public sealed class RollingWindowData : ITrainingData<float>
{
    private readonly BenchmarkRows _rows;
    private readonly int[] _order;   // [N], the current permutation of the rows
    private readonly Random _random;
    private int _position;           // next unread entry of order
    private int _remaining;          // rows left in the current window

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
        this._rows = rows;
        _random = new Random(seed);
        _order = Enumerable.Range(0, rows.Count).ToArray();
        _random.Shuffle(_order);
        WindowRows = rows.Count;
    }

    /// <summary>The rows of one epoch (a round); at least 1.</summary>
    public int WindowRows { get; set; }

    /// <inheritdoc />
    public int FeatureCount => _rows.FeatureCount;

    /// <summary>The network's outputs (the classes, or 1).</summary>
    public int ClassCount => _rows.OutputCount;

    /// <inheritdoc />
    public bool HasWeights => false;

    /// <inheritdoc />
    public long? RowCount => WindowRows;

    /// <inheritdoc />
    public void StartEpoch(Random? shuffleRandom) => _remaining = WindowRows;

    /// <inheritdoc />
    public int NextBatch(Span<float> features, Span<float> targets, Span<float> weights, int maxRows)
    {
        int count = Math.Min(maxRows, _remaining);
        int width = _rows.FeatureCount;
        for (int i = 0; i < count; i++)
        {
            if (_position == _order.Length)
            {
                _random.Shuffle(_order);
                _position = 0;
            }

            int row = _order[_position++];
            _rows.Features.AsSpan(row * width, width).CopyTo(features.Slice(i * width, width));
            targets[i] = _rows.Targets[row];
        }

        _remaining -= count;
        return count;
    }
}
