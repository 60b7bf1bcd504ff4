using MLNetJacobian.Compute;

namespace MLNetJacobian.Network;

/// <summary>
/// A GEMM provider that forwards every call to one of two providers, the choice set between passes: lets one
/// set of buffers serve both a whole batch with multi-threaded GEMMs and a row shard with single-threaded ones.
/// </summary>
/// <param name="parallel">The provider used while <see cref="UseParallel"/> is true.</param>
/// <param name="single">The provider used otherwise.</param>
internal sealed class SelectableGemmProvider(IGemmProvider parallel, IGemmProvider single) : IGemmProvider
{
    /// <summary>Whether calls go to the parallel provider.</summary>
    public bool UseParallel { get; set; }

    /// <inheritdoc />
    public string Name => $"{parallel.Name} / {single.Name}";

    private IGemmProvider Current => UseParallel ? parallel : single;

    /// <inheritdoc />
    public void Gemm(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Current.Gemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <inheritdoc />
    public void Gemm(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc) =>
        Current.Gemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
