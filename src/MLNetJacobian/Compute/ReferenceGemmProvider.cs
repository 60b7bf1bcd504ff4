namespace MLNetJacobian.Compute;

/// <summary>
/// The scalar reference GEMM: three plain loops, accumulated in double precision.
/// Slow, obviously correct; the yardstick every fast provider is tested against.
/// </summary>
internal sealed class ReferenceGemmProvider : IGemmProvider
{
    /// <inheritdoc />
    public string Name => "reference";

    /// <inheritdoc />
    public void Gemm(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        GemmArguments.Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        bool ta = transposeA == MatrixTranspose.Transpose, tb = transposeB == MatrixTranspose.Transpose;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = ta ? a[p * lda + i] : a[i * lda + p];
                    float bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)av * bv;
                }

                int ci = i * ldc + j;
                c[ci] = beta == 0f ? (float)(alpha * sum) : (float)(alpha * sum + (double)beta * c[ci]);
            }
        }
    }

    /// <inheritdoc />
    public void Gemm(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc)
    {
        GemmArguments.Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        bool ta = transposeA == MatrixTranspose.Transpose, tb = transposeB == MatrixTranspose.Transpose;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = ta ? a[p * lda + i] : a[i * lda + p];
                    double bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                }

                int ci = i * ldc + j;
                c[ci] = beta == 0d ? alpha * sum : alpha * sum + beta * c[ci];
            }
        }
    }
}
