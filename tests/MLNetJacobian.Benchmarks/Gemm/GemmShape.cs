using MLNetJacobian.Compute;

namespace MLNetJacobian.Benchmarks.Gemm;

/// <summary>One GEMM shape of the 784-256-256-10 MLP at batch 128 (see docs/performance.md).</summary>
/// <param name="Label">How the shape is printed.</param>
/// <param name="TransposeA">Whether A is stored transposed.</param>
/// <param name="TransposeB">Whether B is stored transposed.</param>
/// <param name="M">Rows of C.</param>
/// <param name="N">Columns of C.</param>
/// <param name="K">The shared dimension.</param>
internal sealed record GemmShape(string Label, MatrixTranspose TransposeA, MatrixTranspose TransposeB, int M, int N, int K)
{
    /// <summary>
    /// The training shapes: forward X W, hidden forward, weight gradient X^T dY (TN: A transposed), input gradient
    /// dY W^T (NT: B transposed), half batch, logits. Labels stay short for BenchmarkDotNet's columns.
    /// </summary>
    public static IReadOnlyList<GemmShape> TrainingShapes { get; } = new[]
    {
        new GemmShape("128x784*784x256 NN", MatrixTranspose.None, MatrixTranspose.None, 128, 256, 784),
        new GemmShape("128x256*256x256 NN", MatrixTranspose.None, MatrixTranspose.None, 128, 256, 256),
        new GemmShape("784x128*128x256 TN", MatrixTranspose.Transpose, MatrixTranspose.None, 784, 256, 128),
        new GemmShape("128x256*256x784 NT", MatrixTranspose.None, MatrixTranspose.Transpose, 128, 784, 256),
        new GemmShape("64x784*784x256 NN", MatrixTranspose.None, MatrixTranspose.None, 64, 256, 784),
        new GemmShape("128x256*256x10 NN", MatrixTranspose.None, MatrixTranspose.None, 128, 10, 256),
    };

    /// <summary>The training shape labelled <paramref name="label"/> (BenchmarkDotNet parameters are labels: the shape's types are internal).</summary>
    public static GemmShape Named(string label) => TrainingShapes.Single(shape => shape.Label == label);

    /// <summary>Floating-point operations of one product (<c>2 m n k</c>).</summary>
    public long Flops => 2L * M * N * K;

    /// <summary>Leading dimension of the stored A.</summary>
    public int Lda => TransposeA == MatrixTranspose.None ? K : M;

    /// <summary>Leading dimension of the stored B.</summary>
    public int Ldb => TransposeB == MatrixTranspose.None ? N : K;

    /// <inheritdoc />
    public override string ToString() => Label;
}
