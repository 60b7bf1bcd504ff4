using System.Diagnostics;
using MLNetJacobian.Compute;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// A GEMM provider that times every call of an inner provider, in total and per shape
/// (<c>op(A), op(B), m, n, k</c>), for the training profile.
/// </summary>
internal sealed class TimingGemmProvider(IGemmProvider inner) : IGemmProvider
{
    private readonly Dictionary<(MatrixTranspose A, MatrixTranspose B, int M, int N, int K), ShapeTiming> _shapes = [];

    /// <summary>Stopwatch ticks spent in GEMM calls since creation or <see cref="Reset"/>.</summary>
    public long Ticks { get; private set; }

    /// <summary>Multiply-adds done since creation or <see cref="Reset"/>.</summary>
    public double MultiplyAdds { get; private set; }

    /// <summary>The per-shape figures.</summary>
    public IReadOnlyDictionary<(MatrixTranspose A, MatrixTranspose B, int M, int N, int K), ShapeTiming> Shapes => _shapes;

    /// <inheritdoc />
    public string Name => "timed " + inner.Name;

    /// <summary>Forgets every figure.</summary>
    public void Reset()
    {
        Ticks = 0;
        MultiplyAdds = 0;
        _shapes.Clear();
    }

    /// <inheritdoc />
    public void Gemm(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k, float alpha, ReadOnlySpan<float> a,
        int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        long start = Stopwatch.GetTimestamp();
        inner.Gemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        Record(transposeA, transposeB, m, n, k, Stopwatch.GetTimestamp() - start);
    }

    /// <inheritdoc />
    public void Gemm(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k, double alpha, ReadOnlySpan<double> a,
        int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        long start = Stopwatch.GetTimestamp();
        inner.Gemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        Record(transposeA, transposeB, m, n, k, Stopwatch.GetTimestamp() - start);
    }

    private void Record(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k, long ticks)
    {
        Ticks += ticks;
        MultiplyAdds += (double)m * n * k;
        var key = (transposeA, transposeB, m, n, k);
        if (!_shapes.TryGetValue(key, out ShapeTiming? timing))
        {
            timing = new ShapeTiming();
            _shapes[key] = timing;
        }

        timing.Calls++;
        timing.Ticks += ticks;
    }

    /// <summary>Calls and time of one GEMM shape.</summary>
    public sealed class ShapeTiming
    {
        /// <summary>Number of calls.</summary>
        public long Calls { get; set; }

        /// <summary>Stopwatch ticks.</summary>
        public long Ticks { get; set; }
    }
}
