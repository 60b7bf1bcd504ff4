using MLNetJacobian.Compute;

namespace MLNetJacobian.Benchmarks.Gemm;

/// <summary>The buffers of one shape, filled with fixed pseudo-random values in [-1, 1).</summary>
/// <remarks>
/// Warm (the default): every call multiplies the same A and B into the same C, which stay in the caches between
/// calls. Cold: the calls rotate through enough copies of A, B and C (at least <see cref="ColdBytes"/> in all, twice
/// the shared L3) that each call finds its operands out of cache, as a training step does.
/// </remarks>
internal sealed class GemmWorkspace
{
    /// <summary>The total size of the rotated copies in cold mode.</summary>
    public const long ColdBytes = 64L << 20;

    private readonly float[][] _copiesOfA, _copiesOfB, _copiesOfC;
    private int _next;

    /// <summary>Allocates and fills A, B and C for <paramref name="shape"/> (and their copies when <paramref name="cold"/>).</summary>
    public GemmWorkspace(GemmShape shape, bool cold = false)
    {
        Shape = shape;
        var random = new Random(42);
        long setBytes = 4L * (shape.M * shape.K + shape.K * shape.N + shape.M * shape.N);
        int copies = cold ? (int)Math.Max(1, (ColdBytes + setBytes - 1) / setBytes) : 1;
        _copiesOfA = new float[copies][];
        _copiesOfB = new float[copies][];
        _copiesOfC = new float[copies][];
        _copiesOfA[0] = Fill(random, shape.M * shape.K);
        _copiesOfB[0] = Fill(random, shape.K * shape.N);
        for (int copy = 0; copy < copies; copy++)
        {
            _copiesOfA[copy] = copy == 0 ? _copiesOfA[0] : (float[])_copiesOfA[0].Clone();
            _copiesOfB[copy] = copy == 0 ? _copiesOfB[0] : (float[])_copiesOfB[0].Clone();
            _copiesOfC[copy] = new float[shape.M * shape.N];
        }
    }

    /// <summary>The shape.</summary>
    public GemmShape Shape { get; }

    /// <summary>Stored A (the first copy).</summary>
    public float[] A => _copiesOfA[0];

    /// <summary>Stored B (the first copy).</summary>
    public float[] B => _copiesOfB[0];

    /// <summary>C, overwritten by each product (beta = 0) (the first copy; <see cref="Rewind"/> makes the next call use it).</summary>
    public float[] C => _copiesOfC[0];

    /// <summary>Makes the next call use the first copy.</summary>
    public void Rewind() => _next = 0;

    /// <summary>Runs <c>C = op(A) op(B)</c> with <paramref name="provider"/> on the next copy.</summary>
    internal void Multiply(IGemmProvider provider)
    {
        int copy = Advance();
        provider.Gemm(Shape.TransposeA, Shape.TransposeB, Shape.M, Shape.N, Shape.K, 1f, _copiesOfA[copy], Shape.Lda,
            _copiesOfB[copy], Shape.Ldb, 0f, _copiesOfC[copy], Shape.N);
    }

    /// <summary>Runs <c>C = op(A) op(B)</c> with OpenBLAS on the next copy.</summary>
    public void Multiply(OpenBlasLibrary library)
    {
        int copy = Advance();
        library.Sgemm(Shape.TransposeA == MatrixTranspose.Transpose, Shape.TransposeB == MatrixTranspose.Transpose,
            Shape.M, Shape.N, Shape.K, 1f, _copiesOfA[copy], Shape.Lda, _copiesOfB[copy], Shape.Ldb, 0f, _copiesOfC[copy], Shape.N);
    }

    private int Advance()
    {
        int copy = _next;
        _next = (_next + 1) % _copiesOfA.Length;
        return copy;
    }

    private static float[] Fill(Random random, int length)
    {
        var values = new float[length];
        for (int index = 0; index < length; index++) values[index] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
