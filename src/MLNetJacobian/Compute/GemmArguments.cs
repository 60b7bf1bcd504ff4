namespace MLNetJacobian.Compute;

/// <summary>Argument validation shared by every <see cref="IGemmProvider"/>.</summary>
internal static class GemmArguments
{
    /// <summary>Throws when a dimension, leading dimension or buffer length cannot hold the described matrices.</summary>
    public static void Validate(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), m, "GEMM dimension m must be non-negative.");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "GEMM dimension n must be non-negative.");
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "GEMM dimension k must be non-negative.");
        int aRows = transposeA == MatrixTranspose.None ? m : k;
        int aCols = transposeA == MatrixTranspose.None ? k : m;
        int bRows = transposeB == MatrixTranspose.None ? k : n;
        int bCols = transposeB == MatrixTranspose.None ? n : k;
        CheckMatrix("A", aRows, aCols, aLength, lda, nameof(lda));
        CheckMatrix("B", bRows, bCols, bLength, ldb, nameof(ldb));
        CheckMatrix("C", m, n, cLength, ldc, nameof(ldc));
    }

    private static void CheckMatrix(string name, int rows, int cols, int length, int leading, string leadingName)
    {
        if (leading < Math.Max(1, cols))
        {
            throw new ArgumentOutOfRangeException(leadingName, leading,
                $"Leading dimension of {name} must be at least its stored row length {cols}.");
        }

        if (rows == 0 || cols == 0) return;
        long needed = (long)(rows - 1) * leading + cols;
        if (length < needed)
        {
            throw new ArgumentException(
                $"Buffer for {name} has {length} elements; a {rows} x {cols} matrix with leading dimension {leading} needs {needed}.",
                name.ToLowerInvariant());
        }
    }
}
