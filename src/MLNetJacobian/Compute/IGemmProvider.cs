namespace MLNetJacobian.Compute;

/// <summary>
/// A BLAS-shaped general matrix multiply on row-major matrices:
/// <c>C = alpha * op(A) * op(B) + beta * C</c>.
/// </summary>
/// <remarks>
/// All matrices are row-major. <c>op(A)</c> is <c>m x k</c>, <c>op(B)</c> is <c>k x n</c> and
/// <c>C</c> is <c>m x n</c>. The leading dimension of a matrix is the distance, in elements,
/// between the starts of two consecutive stored rows (at least the stored row length).
/// When <c>beta</c> is zero, <c>C</c> is not read (NaN in it does not propagate), as in BLAS.
/// Implementations are thread-safe: one instance may serve several callers at once.
/// </remarks>
internal interface IGemmProvider
{
    /// <summary>A short name for reports and benchmarks.</summary>
    string Name { get; }

    /// <summary>Single-precision <c>C = alpha * op(A) * op(B) + beta * C</c>.</summary>
    /// <param name="transposeA">Whether <paramref name="a"/> is used transposed.</param>
    /// <param name="transposeB">Whether <paramref name="b"/> is used transposed.</param>
    /// <param name="m">Rows of <c>op(A)</c> and of <c>C</c>.</param>
    /// <param name="n">Columns of <c>op(B)</c> and of <c>C</c>.</param>
    /// <param name="k">Columns of <c>op(A)</c>, rows of <c>op(B)</c>.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Stored A: <c>m x k</c> (or <c>k x m</c> when transposed), row-major.</param>
    /// <param name="lda">Leading dimension of the stored A.</param>
    /// <param name="b">Stored B: <c>k x n</c> (or <c>n x k</c> when transposed), row-major.</param>
    /// <param name="ldb">Leading dimension of the stored B.</param>
    /// <param name="beta">Scale of the existing C.</param>
    /// <param name="c">C: <c>m x n</c>, row-major, updated in place.</param>
    /// <param name="ldc">Leading dimension of C.</param>
    void Gemm(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc);

    /// <summary>Double-precision <c>C = alpha * op(A) * op(B) + beta * C</c>; see the single-precision overload.</summary>
    /// <param name="transposeA">Whether <paramref name="a"/> is used transposed.</param>
    /// <param name="transposeB">Whether <paramref name="b"/> is used transposed.</param>
    /// <param name="m">Rows of <c>op(A)</c> and of <c>C</c>.</param>
    /// <param name="n">Columns of <c>op(B)</c> and of <c>C</c>.</param>
    /// <param name="k">Columns of <c>op(A)</c>, rows of <c>op(B)</c>.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Stored A, row-major.</param>
    /// <param name="lda">Leading dimension of the stored A.</param>
    /// <param name="b">Stored B, row-major.</param>
    /// <param name="ldb">Leading dimension of the stored B.</param>
    /// <param name="beta">Scale of the existing C.</param>
    /// <param name="c">C, row-major, updated in place.</param>
    /// <param name="ldc">Leading dimension of C.</param>
    void Gemm(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc);
}
