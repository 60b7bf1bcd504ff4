using MLNetJacobian.Compute;

namespace MLNetJacobian.Tests.Compute;

public class ReferenceGemmProviderTests
{
    [Fact]
    public void Gemm_TwoByTwo_MatchesHandComputedProduct()
    {
        var gemm = new ReferenceGemmProvider();
        float[] a = { 1, 2, 3, 4 };
        float[] b = { 5, 6, 7, 8 };
        float[] c = { 1, 1, 1, 1 };

        gemm.Gemm(MatrixTranspose.None, MatrixTranspose.Transpose, 2, 2, 2, 2f, a, 2, b, 2, 0.5f, c, 2);

        // A * B^T = [[17, 23], [39, 53]]; times 2 plus 0.5.
        Assert.Equal(new[] { 34.5f, 46.5f, 78.5f, 106.5f }, c);
    }

    [Fact]
    public void Gemm_BufferTooShort_NamesTheMatrix()
    {
        var gemm = new ReferenceGemmProvider();
        var ex = Assert.Throws<ArgumentException>(() =>
            gemm.Gemm(MatrixTranspose.None, MatrixTranspose.None, 2, 2, 2, 1f, new float[3], 2, new float[4], 2, 0f, new float[4], 2));
        Assert.Contains("Buffer for A has 3 elements", ex.Message);
    }
}
