using MLNetJacobian.Compute;

namespace MLNetJacobian.Tests.Compute;

/// <summary>
/// One random GEMM problem (stored A, B and initial C with padded leading dimensions) and its error bound.
/// </summary>
internal sealed class GemmTestCase
{
    private GemmTestCase(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k,
        int padding, int seed)
    {
        TransposeA = transposeA;
        TransposeB = transposeB;
        M = m;
        N = n;
        K = k;
        int aRows = transposeA == MatrixTranspose.None ? m : k, aColumns = transposeA == MatrixTranspose.None ? k : m;
        int bRows = transposeB == MatrixTranspose.None ? k : n, bColumns = transposeB == MatrixTranspose.None ? n : k;
        Lda = Math.Max(1, aColumns) + padding;
        Ldb = Math.Max(1, bColumns) + padding;
        Ldc = Math.Max(1, n) + padding;
        var random = new Random(seed);
        A = Fill(random, aRows * Lda);
        B = Fill(random, bRows * Ldb);
        C = Fill(random, m * Ldc);
    }

    public MatrixTranspose TransposeA { get; }

    public MatrixTranspose TransposeB { get; }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    public int Lda { get; }

    public int Ldb { get; }

    public int Ldc { get; }

    public double[] A { get; }

    public double[] B { get; }

    public double[] C { get; }

    public static GemmTestCase Create(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k,
        int padding = 0, int seed = 1) => new(transposeA, transposeB, m, n, k, padding, seed);

    public static float[] ToSingle(double[] values) => Array.ConvertAll(values, value => (float)value);

    public float[] Run(IGemmProvider provider, float alpha, float beta, float[]? initialC = null)
    {
        float[] c = initialC ?? ToSingle(C);
        provider.Gemm(TransposeA, TransposeB, M, N, K, alpha, ToSingle(A), Lda, ToSingle(B), Ldb, beta, c, Ldc);
        return c;
    }

    public double[] Run(IGemmProvider provider, double alpha, double beta)
    {
        double[] c = (double[])C.Clone();
        provider.Gemm(TransposeA, TransposeB, M, N, K, alpha, A, Lda, B, Ldb, beta, c, Ldc);
        return c;
    }

    /// <summary>
    /// The forward error bound of element (i, j): <c>(k + 3) * u * (|alpha| sum_p |a_ip| |b_pj| + |beta| |c_ij|)</c>.
    /// </summary>
    /// <remarks>
    /// A dot product of length k summed in any order with rounded (or fused) operations is within
    /// <c>k * u * sum |a| |b|</c> of the exact value (Higham, Accuracy and Stability, 3.1); scaling by alpha,
    /// adding <c>beta * c</c> and the reference's own final rounding add at most 3u more relative error.
    /// u is the unit roundoff, 2^-24 for float and 2^-53 for double. Blocking, FMA and vector lanes only
    /// change the order of the sum, which the bound covers.
    /// </remarks>
    public double Tolerance(int i, int j, double alpha, double beta, double unitRoundoff)
    {
        double sum = 0;
        for (int p = 0; p < K; p++) sum += Math.Abs(ElementOfOpA(i, p) * ElementOfOpB(p, j));
        double magnitude = Math.Abs(alpha) * sum + Math.Abs(beta) * Math.Abs(C[i * Ldc + j]);
        return (K + 3) * unitRoundoff * magnitude + double.Epsilon;
    }

    private double ElementOfOpA(int i, int p) => TransposeA == MatrixTranspose.None ? A[i * Lda + p] : A[p * Lda + i];

    private double ElementOfOpB(int p, int j) => TransposeB == MatrixTranspose.None ? B[p * Ldb + j] : B[j * Ldb + p];

    private static double[] Fill(Random random, int length)
    {
        // Values in [-1, 1) that are exactly representable in float, so both precisions see the same inputs.
        var values = new double[length];
        for (int index = 0; index < length; index++) values[index] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
