using MLNetJacobian.Compute;

namespace MLNetJacobian.Benchmarks.Gemm;

/// <summary>The buffers of one shape, filled with fixed pseudo-random values in [-1, 1).</summary>
public sealed class GemmWorkspace
{
    /// <summary>Allocates and fills A, B and C for <paramref name="shape"/>.</summary>
    public GemmWorkspace(GemmShape shape)
    {
        Shape = shape;
        var random = new Random(42);
        A = Fill(random, shape.M * shape.K);
        B = Fill(random, shape.K * shape.N);
        C = new float[shape.M * shape.N];
    }

    /// <summary>The shape.</summary>
    public GemmShape Shape { get; }

    /// <summary>Stored A.</summary>
    public float[] A { get; }

    /// <summary>Stored B.</summary>
    public float[] B { get; }

    /// <summary>C, overwritten by each product (beta = 0).</summary>
    public float[] C { get; }

    /// <summary>Runs <c>C = op(A) op(B)</c> with <paramref name="provider"/>.</summary>
    public void Multiply(IGemmProvider provider) =>
        provider.Gemm(Shape.TransposeA, Shape.TransposeB, Shape.M, Shape.N, Shape.K, 1f, A, Shape.Lda, B, Shape.Ldb, 0f, C, Shape.N);

    /// <summary>Runs <c>C = op(A) op(B)</c> with OpenBLAS.</summary>
    public void Multiply(OpenBlasLibrary library) =>
        library.Sgemm(Shape.TransposeA == MatrixTranspose.Transpose, Shape.TransposeB == MatrixTranspose.Transpose,
            Shape.M, Shape.N, Shape.K, 1f, A, Shape.Lda, B, Shape.Ldb, 0f, C, Shape.N);

    private static float[] Fill(Random random, int length)
    {
        var values = new float[length];
        for (int index = 0; index < length; index++) values[index] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
