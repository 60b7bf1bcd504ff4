namespace MLNetJacobian.Compute;

/// <summary>
/// A register-blocked GEMM micro-kernel: one <c>TileRows x TileColumns</c> tile of C from packed panels.
/// </summary>
/// <typeparam name="T">The element type (float or double).</typeparam>
/// <remarks>
/// The kernel computes <c>acc[r, j] = sum_p packedA[p * TileRows + r] * packedB[p * TileColumns + j]</c>
/// for <c>p = 0 .. depth-1</c>, strictly in increasing <c>p</c>, then merges it into C:
/// <c>C = alpha * acc</c> when <c>overwrite</c> (C is not read), otherwise <c>C = alpha * acc + beta * C</c>.
/// Each element's arithmetic depends only on its own row of A and column of B, never on where the tile
/// sits, so how the output is split into tiles (and across threads) does not change any result bit.
/// Implementations are static (the driver is specialized per kernel by the JIT).
/// </remarks>
internal interface IGemmMicroKernel<T> where T : unmanaged
{
    /// <summary>Rows of C per tile (MR).</summary>
    static abstract int TileRows { get; }

    /// <summary>Columns of C per tile (NR).</summary>
    static abstract int TileColumns { get; }

    /// <summary>Computes one full tile and merges it into <paramref name="c"/>.</summary>
    /// <param name="depth">Length of the shared dimension in this block (KC).</param>
    /// <param name="packedA">A micro-panel: <c>[depth, TileRows]</c>.</param>
    /// <param name="packedB">B micro-panel: <c>[depth, TileColumns]</c>.</param>
    /// <param name="c">Top-left element of the C tile.</param>
    /// <param name="ldc">Leading dimension of C.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of the existing C (ignored when <paramref name="overwrite"/>).</param>
    /// <param name="overwrite">Whether C is written without being read.</param>
    static abstract unsafe void Multiply(int depth, T* packedA, T* packedB, T* c, nint ldc, T alpha, T beta, bool overwrite);
}
