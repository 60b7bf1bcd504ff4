using System.Diagnostics;

namespace MLNetJacobian.Compute;

/// <summary>
/// How one GEMM is split into rectangles of C for several threads: contiguous bands of whole tiles,
/// either of rows or of columns, never of the shared dimension k.
/// </summary>
/// <remarks>
/// Splitting rows makes every thread pack all of <c>op(B)</c> (<c>k * n</c> extra copies per extra thread);
/// splitting columns makes every thread pack all of <c>op(A)</c> (<c>k * m</c>) when A is transposed (a
/// non-transposed A is read in place, so its bands share it for free). The band direction with the
/// smaller duplicated packing is chosen, among those with at least one tile per part.
/// Bands hold whole MR-high (or NR-wide) tiles, spread as evenly as possible.
/// </remarks>
internal readonly struct GemmPartition
{
    private GemmPartition(int parts, bool splitsRows, int units, int unitSize, int length)
    {
        Parts = parts;
        SplitsRows = splitsRows;
        Units = units;
        UnitSize = unitSize;
        Length = length;
    }

    /// <summary>The number of bands (1 means single-threaded).</summary>
    public int Parts { get; }

    /// <summary>Whether the bands are of rows (otherwise of columns).</summary>
    public bool SplitsRows { get; }

    private int Units { get; }

    private int UnitSize { get; }

    private int Length { get; }

    /// <summary>Chooses the partition of an <c>m x n</c> product with <paramref name="maximumParts"/> threads at most.</summary>
    public static GemmPartition Choose(int m, int n, int maximumParts, int tileRows, int tileColumns)
    {
        Debug.Assert(maximumParts >= 1);
        int rowUnits = (m + tileRows - 1) / tileRows;
        int columnUnits = (n + tileColumns - 1) / tileColumns;
        bool preferRows = m >= n;
        bool splitsRows = preferRows ? rowUnits >= maximumParts || rowUnits >= columnUnits
                                     : columnUnits < maximumParts && rowUnits > columnUnits;
        int units = splitsRows ? rowUnits : columnUnits;
        int parts = Math.Min(maximumParts, units);
        return splitsRows
            ? new GemmPartition(parts, true, units, tileRows, m)
            : new GemmPartition(parts, false, units, tileColumns, n);
    }

    /// <summary>The band <c>[start, end)</c> (of rows or of columns) of part <paramref name="part"/>.</summary>
    public (int Start, int End) Band(int part)
    {
        Debug.Assert(part >= 0 && part < Parts);
        int startUnit = (int)((long)Units * part / Parts);
        int endUnit = (int)((long)Units * (part + 1) / Parts);
        return (Math.Min(Length, startUnit * UnitSize), Math.Min(Length, endUnit * UnitSize));
    }
}
