using System.Runtime.CompilerServices;

namespace MLNetJacobian.Compute;

/// <summary>
/// Copies blocks of <c>op(A)</c> and <c>op(B)</c> into the contiguous micro-panel layouts the micro-kernel reads.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TKernel">The micro-kernel, whose tile shape (MR x NR) sets the panel widths.</typeparam>
/// <remarks>
/// A block of <c>op(A)</c> (rows <c>i0 .. i0+mc-1</c>, depth <c>p0 .. p0+kc-1</c>) becomes <c>ceil(mc / MR)</c>
/// panels, each <c>[kc, MR]</c>: <c>panel[p * MR + r] = op(A)[i0 + q * MR + r, p0 + p]</c>.
/// A block of <c>op(B)</c> (depth <c>p0 ..</c>, columns <c>j0 .. j0+nc-1</c>) becomes <c>ceil(nc / NR)</c> panels,
/// each <c>[kc, NR]</c>: <c>panel[p * NR + j] = op(B)[p0 + p, j0 + q * NR + j]</c>.
/// Rows or columns past the edge are zero, so edge tiles run the same kernel on the same arithmetic.
/// <c>op(A)[i, p]</c> is <c>A[i * lda + p]</c>, or <c>A[p * lda + i]</c> when transposed; likewise for B.
/// </remarks>
internal static unsafe class GemmPacking<T, TKernel>
    where T : unmanaged
    where TKernel : IGemmMicroKernel<T>
{
    /// <summary>Packs <c>op(A)[rowStart .. rowStart+rows-1, depthStart .. depthStart+depth-1]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(in GemmProblem<T> problem, int rowStart, int rows, int depthStart, int depth, T* destination)
    {
        int mr = TKernel.TileRows;
        nint lda = problem.Lda;
        for (int panelRow = 0; panelRow < rows; panelRow += mr)
        {
            int panelRows = Math.Min(mr, rows - panelRow);
            T* panel = destination + (nint)panelRow * depth; // [depth, mr]
            int firstRow = rowStart + panelRow;
            if (!problem.TransposeA)
            {
                // A is [m, k]: each row of the panel is a contiguous run of A.
                if (typeof(T) == typeof(float) && mr == 6 && panelRows == 6 && Avx2SinglePacking.IsSupported)
                {
                    Avx2SinglePacking.PackSixRows((float*)(problem.A + firstRow * lda + depthStart), lda, depth, (float*)panel);
                    continue;
                }

                Interleave(problem.A + firstRow * lda + depthStart, lda, panelRows, depth, mr, panel);
            }
            else
            {
                // A is [k, m]: each depth step of the panel is a contiguous run of A.
                T* source = problem.A + depthStart * lda + firstRow;
                for (int p = 0; p < depth; p++)
                {
                    T* from = source + p * lda;
                    T* target = panel + (nint)p * mr;
                    if (panelRows == mr)
                    {
                        Unsafe.CopyBlockUnaligned(target, from, (uint)(mr * sizeof(T)));
                        continue;
                    }

                    int r = 0;
                    for (; r < panelRows; r++) target[r] = from[r];
                    for (; r < mr; r++) target[r] = default;
                }
            }
        }
    }

    /// <summary>Packs <c>op(B)[depthStart .. depthStart+depth-1, columnStart .. columnStart+columns-1]</c>.</summary>
    /// <remarks>
    /// For a row-major B this is a plain copy that streams the block through the caches once more; it is kept because
    /// reading B in place would put a micro-panel of a 1 KiB row stride (n = 256 floats) into 4 of L1's 64 sets, and
    /// reading a cold B row by row, as here, streams from memory where reading it a 64-byte piece per row, panel by
    /// panel, does not. (The measurements: docs/performance.md, "The GEMM driver's choices".)
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(in GemmProblem<T> problem, int depthStart, int depth, int columnStart, int columns, T* destination)
    {
        int nr = TKernel.TileColumns;
        nint ldb = problem.Ldb;
        if (!problem.TransposeB)
        {
            // B is [k, n]: read each row of the block once, left to right, and deal its NR-wide pieces to the panels;
            // a last partial panel is zero-padded.
            int fullColumns = columns / nr * nr, partialColumns = columns - fullColumns;
            T* partialPanel = destination + (nint)fullColumns * depth;
            for (int p = 0; p < depth; p++)
            {
                T* from = problem.B + (depthStart + p) * ldb + columnStart;
                T* target = destination + (nint)p * nr;
                for (int j = 0; j < fullColumns; j += nr)
                {
                    Unsafe.CopyBlockUnaligned(target + (nint)j * depth, from + j, (uint)(nr * sizeof(T)));
                }

                if (partialColumns == 0) continue;
                T* partial = partialPanel + (nint)p * nr;
                int column = 0;
                for (; column < partialColumns; column++) partial[column] = from[fullColumns + column];
                for (; column < nr; column++) partial[column] = default;
            }

            return;
        }

        // B is [n, k]: each column of a panel is a contiguous run of B.
        for (int panelColumn = 0; panelColumn < columns; panelColumn += nr)
        {
            int panelColumns = Math.Min(nr, columns - panelColumn);
            T* panel = destination + (nint)panelColumn * depth; // [depth, nr]
            int firstColumn = columnStart + panelColumn;
            if (typeof(T) == typeof(float) && nr % 8 == 0 && panelColumns == nr && Avx2SinglePacking.IsSupported)
            {
                Avx2SinglePacking.PackRows((float*)(problem.B + firstColumn * ldb + depthStart), ldb, depth, nr, (float*)panel);
                continue;
            }

            Interleave(problem.B + firstColumn * ldb + depthStart, ldb, panelColumns, depth, nr, panel);
        }
    }

    /// <summary>
    /// Lays <paramref name="runs"/> contiguous runs of <paramref name="depth"/> values, <paramref name="sourceStride"/>
    /// apart, side by side into a panel <c>[depth, width]</c>: <c>panel[p * width + r] = source[r * sourceStride + p]</c>
    /// for <c>r &lt; runs</c>, and zero in the lanes <c>runs .. width-1</c>. The scalar path of both transposing packs
    /// (rows of a row-major A, columns of a transposed B).
    /// </summary>
    private static void Interleave(T* source, nint sourceStride, int runs, int depth, int width, T* panel)
    {
        for (int r = 0; r < runs; r++)
        {
            T* run = source + r * sourceStride;
            T* target = panel + r;
            for (int p = 0; p < depth; p++) target[(nint)p * width] = run[p];
        }

        for (int r = runs; r < width; r++)
        {
            for (int p = 0; p < depth; p++) panel[(nint)p * width + r] = default;
        }
    }
}
