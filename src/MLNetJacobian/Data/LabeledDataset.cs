namespace MLNetJacobian.Data;

/// <summary>
/// A small in-memory classification data set: features row-major <c>[N, D]</c> and integer labels in <c>[0, C)</c>.
/// </summary>
/// <param name="Features">Feature values, row-major <c>[N, D]</c>.</param>
/// <param name="Labels">Class index of each row, in <c>[0, ClassCount)</c>.</param>
/// <param name="FeatureCount">D, the number of features per row.</param>
/// <param name="ClassNames">The class names; <c>ClassNames.Count</c> is C.</param>
public sealed record LabeledDataset(float[] Features, int[] Labels, int FeatureCount, IReadOnlyList<string> ClassNames)
{
    /// <summary>N, the number of rows.</summary>
    public int Count => Labels.Length;

    /// <summary>C, the number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The features of row <paramref name="row"/>.</summary>
    /// <param name="row">Row index in <c>[0, Count)</c>.</param>
    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>
    /// Splits the rows into two data sets by a seeded random permutation: the first holds
    /// <paramref name="firstFraction"/> of the rows.
    /// </summary>
    /// <param name="firstFraction">Fraction of rows in the first part, in (0, 1).</param>
    /// <param name="seed">Seed of the permutation.</param>
    public (LabeledDataset First, LabeledDataset Second) Split(double firstFraction, int seed)
    {
        if (!(firstFraction > 0 && firstFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, "The split fraction must be in (0, 1).");
        }

        int[] order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        int firstCount = (int)Math.Round(Count * firstFraction);
        return (Take(order.AsSpan(0, firstCount)), Take(order.AsSpan(firstCount)));
    }

    private LabeledDataset Take(ReadOnlySpan<int> rows)
    {
        var features = new float[rows.Length * FeatureCount];
        var labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            Row(rows[i]).CopyTo(features.AsSpan(i * FeatureCount, FeatureCount));
            labels[i] = Labels[rows[i]];
        }

        return new LabeledDataset(features, labels, FeatureCount, ClassNames);
    }
}
