using System.Numerics;
using System.Runtime.Intrinsics;

namespace MLNetJacobian.Compute;

/// <summary>
/// The fast managed GEMM: packed panels, a register-blocked AVX-512 or AVX2 + FMA micro-kernel, cache blocking for
/// L1/L2, and up to <see cref="MaxThreads"/> threads on large products. No native library is needed.
/// </summary>
/// <remarks>
/// <para>
/// Computes <c>C = alpha * op(A) * op(B) + beta * C</c> on row-major matrices, with BLAS semantics:
/// when beta is zero C is not read; when alpha is zero or k is zero, A and B are not read and
/// <c>C = beta * C</c>.
/// </para>
/// <para>
/// Single precision runs a 6 x 32 micro-kernel (double: 6 x 16) with fused multiply-adds where the processor has
/// AVX-512F, a 6 x 16 one (double: 6 x 8) where it has AVX2 and FMA, and a portable 128-bit kernel elsewhere
/// (<see cref="Kernel"/>; the environment variable <c>MLNETJACOBIAN_GEMM_KERNEL</c> forces a narrower one, see
/// <see cref="GemmKernel"/>). The AVX-512 and AVX2 kernels give bit-identical results. Each element of C is
/// <c>alpha * sum_p op(A)[i, p] * op(B)[p, j] + beta * C[i, j]</c>, summed in increasing p within depth blocks
/// of at most 800 whose size depends only on k.
/// </para>
/// <para>
/// Threads split C into bands of rows or of columns, never the sum over k, so the result is bit-identical
/// whatever the thread count and from run to run on the same machine (not across processors with different
/// instruction sets, where the portable kernel differs from the fused ones). Products below <see cref="DefaultMinimumParallelMultiplyAdds"/> multiply-adds
/// (<c>m * n * k</c>) stay on the calling thread. Workers come from one process-wide pool of background
/// threads shared by all providers, so the provider holds no resources and needs no disposal.
/// Packing buffers are per thread and reused: steady-state calls allocate nothing.
/// Instances are thread-safe.
/// </para>
/// </remarks>
internal sealed class ManagedGemmProvider : IGemmProvider
{
    /// <summary>The smallest product (<c>m * n * k</c> multiply-adds, 0.5 MFLOP) worth a second thread.</summary>
    /// <remarks>Set so that the 128 x 10 x 256 logit product (328k multiply-adds) runs on two threads, where it is faster
    /// (docs/performance.md, "The GEMM driver's choices").</remarks>
    public const long DefaultMinimumParallelMultiplyAdds = 250_000;

    /// <summary>
    /// Bands of C per thread. One: every band re-reads the operand the bands share (all of a non-transposed A for
    /// column bands) and packs narrower pieces of the other, so more bands per thread cost more than the balance they
    /// buy (docs/performance.md). A thread that finds its partner late still runs the partner's band itself (the bands are claimed,
    /// not assigned).
    /// </summary>
    private const int ChunksPerThread = 1;

    private readonly long _minimumParallelMultiplyAdds;

    /// <summary>Creates a provider that may use every processor (<see cref="Environment.ProcessorCount"/>).</summary>
    /// <exception cref="InvalidOperationException">MLNETJACOBIAN_GEMM_KERNEL names no kernel.</exception>
    public ManagedGemmProvider()
        : this(Environment.ProcessorCount)
    {
    }

    /// <summary>Creates a provider that uses at most <paramref name="maxThreads"/> threads per call.</summary>
    /// <param name="maxThreads">Threads per call, the caller's included; 1 keeps every call on the calling thread.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxThreads"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">MLNETJACOBIAN_GEMM_KERNEL names no kernel.</exception>
    public ManagedGemmProvider(int maxThreads)
        : this(maxThreads, GemmKernels.Default)
    {
    }

    /// <summary>Creates a provider that runs the given kernel family, with at most <paramref name="maxThreads"/> threads per call.</summary>
    /// <param name="maxThreads">Threads per call, the caller's included; 1 keeps every call on the calling thread.</param>
    /// <param name="kernel">The kernel family; the processor must support it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxThreads"/> is less than 1.</exception>
    /// <exception cref="PlatformNotSupportedException">The processor lacks the instructions of <paramref name="kernel"/>.</exception>
    public ManagedGemmProvider(int maxThreads, GemmKernel kernel)
        : this(maxThreads, DefaultMinimumParallelMultiplyAdds, kernel)
    {
    }

    /// <summary>
    /// Creates a provider with an explicit parallel threshold and kernel (tests). With
    /// <paramref name="allowSoftwareVectors"/> the AVX-512 kernel runs even without AVX-512, in the runtime's software
    /// form of 512-bit vectors: slow, with exactly the values the hardware computes, so tests cover it on any machine.
    /// </summary>
    internal ManagedGemmProvider(int maxThreads, long minimumParallelMultiplyAdds, GemmKernel kernel,
        bool allowSoftwareVectors = false)
    {
        if (maxThreads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxThreads), maxThreads, "The thread count must be at least 1.");
        }

        if (minimumParallelMultiplyAdds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumParallelMultiplyAdds), minimumParallelMultiplyAdds,
                "The parallel threshold must be non-negative.");
        }

        if (!Enum.IsDefined(kernel))
        {
            throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "Unknown GEMM kernel.");
        }

        bool emulated = allowSoftwareVectors && kernel == GemmKernel.Avx512;
        if (!GemmKernels.IsSupported(kernel) && !emulated)
        {
            throw new PlatformNotSupportedException(
                $"The {kernel} GEMM kernel needs a processor with {(kernel == GemmKernel.Avx512 ? "AVX-512F" : "AVX2 and FMA")}; this one runs {GemmKernels.Widest} at most.");
        }

        MaxThreads = maxThreads;
        _minimumParallelMultiplyAdds = minimumParallelMultiplyAdds;
        Kernel = kernel;
    }

    /// <summary>The most threads one call uses, the caller's included.</summary>
    public int MaxThreads { get; }

    /// <summary>The micro-kernel family this provider runs.</summary>
    public GemmKernel Kernel { get; }

    /// <inheritdoc />
    public string Name => MaxThreads == 1 ? "managed" : $"managed ({MaxThreads} threads)";

    /// <inheritdoc />
    public void Gemm(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc) =>
        Run(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <inheritdoc />
    public void Gemm(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc) =>
        Run(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// Validates, handles the empty and scale-only cases, then runs the driver with this provider's kernel.
    /// </summary>
    private unsafe void Run<T>(MatrixTranspose transposeA, MatrixTranspose transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, INumberBase<T>
    {
        GemmArguments.Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (T* aPointer = a)
        fixed (T* bPointer = b)
        fixed (T* cPointer = c)
        {
            if (k == 0 || T.IsZero(alpha))
            {
                ScaleC(m, n, beta, cPointer, ldc);
                return;
            }

            var problem = new GemmProblem<T>(transposeA == MatrixTranspose.Transpose,
                transposeB == MatrixTranspose.Transpose, m, n, k, alpha, aPointer, lda, bPointer, ldb,
                beta, T.IsZero(beta), cPointer, ldc);
            switch (Kernel)
            {
                case GemmKernel.Avx512:
                    Execute<T, FusedMicroKernel<T, Avx512Lanes<T>, Vector512<T>>>(problem);
                    break;
                case GemmKernel.Avx2:
                    Execute<T, FusedMicroKernel<T, Avx2Lanes<T>, Vector256<T>>>(problem);
                    break;
                default:
                    Execute<T, PortableMicroKernel<T>>(problem);
                    break;
            }
        }
    }

    private void Execute<T, TKernel>(in GemmProblem<T> problem)
        where T : unmanaged, INumberBase<T>
        where TKernel : IGemmMicroKernel<T>
    {
        long multiplyAdds = (long)problem.M * problem.N * problem.K;
        int threads = multiplyAdds >= _minimumParallelMultiplyAdds ? MaxThreads : 1;
        if (threads == 1)
        {
            GemmDriver<T, TKernel>.Run(problem, 0, problem.M, 0, problem.N);
            return;
        }

        var partition = GemmPartition.Choose(problem.M, problem.N, threads * ChunksPerThread, TKernel.TileRows,
            TKernel.TileColumns);
        if (partition.Parts == 1)
        {
            GemmDriver<T, TKernel>.Run(problem, 0, problem.M, 0, problem.N);
            return;
        }

        int helpers = Math.Min(threads, partition.Parts) - 1;
        GemmWorkerPool.Shared.Run(GemmParallelJob<T, TKernel>.Prepare(problem, partition), helpers);
    }

    /// <summary><c>C = beta * C</c> (zero when beta is zero, C unread): the product is empty or scaled by zero.</summary>
    private static unsafe void ScaleC<T>(int m, int n, T beta, T* c, int ldc) where T : unmanaged, INumberBase<T>
    {
        // c: [m, n] with row stride ldc.
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + (nint)i * ldc, n);
            if (T.IsZero(beta))
            {
                row.Clear();
            }
            else
            {
                for (int j = 0; j < row.Length; j++) row[j] *= beta;
            }
        }
    }
}
