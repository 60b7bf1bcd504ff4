namespace MLNetJacobian.Compute;

/// <summary>
/// A register-blocked GEMM micro-kernel: one <c>TileRows x TileColumns</c> tile of C from a packed B panel and
/// an A panel that is either packed or read in place.
/// </summary>
/// <typeparam name="T">The element type (float or double).</typeparam>
/// <remarks>
/// The kernel computes <c>acc[r, j] = sum_p a[r * aRowStride + p * aDepthStride] * packedB[p * TileColumns + j]</c>
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

    /// <summary>
    /// Rows of the short tile <see cref="MultiplyFourRows"/> computes (4): rows of C that are not a multiple of
    /// <see cref="TileRows"/> are covered by short tiles instead of a padded full one where they fit.
    /// </summary>
    static abstract int ShortTileRows { get; }

    /// <summary>Columns of C per tile (NR).</summary>
    static abstract int TileColumns { get; }

    /// <summary>Computes one full tile and merges it into <paramref name="c"/>.</summary>
    /// <param name="depth">Length of the shared dimension in this block (KC).</param>
    /// <param name="a">The A panel's first element: a packed micro-panel <c>[depth, TileRows]</c> (strides 1 and
    /// TileRows) or TileRows rows of a row-major A in place (strides lda and 1).</param>
    /// <param name="aRowStride">Elements between rows of the A panel.</param>
    /// <param name="aDepthStride">Elements between depth steps of the A panel.</param>
    /// <param name="packedB">B micro-panel: <c>[depth, TileColumns]</c>.</param>
    /// <param name="c">Top-left element of the C tile.</param>
    /// <param name="ldc">Leading dimension of C.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of the existing C (ignored when <paramref name="overwrite"/>).</param>
    /// <param name="overwrite">Whether C is written without being read.</param>
    static abstract unsafe void Multiply(int depth, T* a, nint aRowStride, nint aDepthStride, T* packedB, T* c, nint ldc,
        T alpha, T beta, bool overwrite);

    /// <summary>
    /// As <see cref="Multiply"/> for the first <see cref="ShortTileRows"/> rows of the tile only, each element
    /// computed with exactly the same arithmetic.
    /// </summary>
    /// <param name="depth">Length of the shared dimension in this block (KC).</param>
    /// <param name="a">The A panel's first element (as for <see cref="Multiply"/>).</param>
    /// <param name="aRowStride">Elements between rows of the A panel.</param>
    /// <param name="aDepthStride">Elements between depth steps of the A panel.</param>
    /// <param name="packedB">B micro-panel: <c>[depth, TileColumns]</c>.</param>
    /// <param name="c">Top-left element of the C tile.</param>
    /// <param name="ldc">Leading dimension of C.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of the existing C (ignored when <paramref name="overwrite"/>).</param>
    /// <param name="overwrite">Whether C is written without being read.</param>
    static abstract unsafe void MultiplyFourRows(int depth, T* a, nint aRowStride, nint aDepthStride, T* packedB, T* c,
        nint ldc, T alpha, T beta, bool overwrite);
}
