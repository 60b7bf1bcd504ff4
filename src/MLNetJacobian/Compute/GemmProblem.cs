using System.Diagnostics;

namespace MLNetJacobian.Compute;

/// <summary>
/// One validated GEMM call, <c>C = alpha * op(A) * op(B) + beta * C</c>, on pinned row-major buffers.
/// </summary>
/// <typeparam name="T">The element type (float or double).</typeparam>
/// <remarks>Only valid while the caller keeps the buffers pinned (the whole GEMM call).</remarks>
internal readonly unsafe struct GemmProblem<T> where T : unmanaged
{
    /// <summary>Creates the description of one call; the arguments were validated by <see cref="GemmArguments"/>.</summary>
    public GemmProblem(bool transposeA, bool transposeB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb,
        T beta, bool betaIsZero, T* c, int ldc)
    {
        Debug.Assert(m > 0 && n > 0 && k > 0, "Empty problems are handled before the driver.");
        TransposeA = transposeA;
        TransposeB = transposeB;
        M = m;
        N = n;
        K = k;
        Alpha = alpha;
        A = a;
        Lda = lda;
        B = b;
        Ldb = ldb;
        Beta = beta;
        BetaIsZero = betaIsZero;
        C = c;
        Ldc = ldc;
    }

    /// <summary>Whether A is stored transposed (<c>k x m</c>).</summary>
    public bool TransposeA { get; }

    /// <summary>Whether B is stored transposed (<c>n x k</c>).</summary>
    public bool TransposeB { get; }

    /// <summary>Rows of C.</summary>
    public int M { get; }

    /// <summary>Columns of C.</summary>
    public int N { get; }

    /// <summary>The shared dimension.</summary>
    public int K { get; }

    /// <summary>Scale of the product.</summary>
    public T Alpha { get; }

    /// <summary>Stored A.</summary>
    public T* A { get; }

    /// <summary>Leading dimension of the stored A.</summary>
    public int Lda { get; }

    /// <summary>Stored B.</summary>
    public T* B { get; }

    /// <summary>Leading dimension of the stored B.</summary>
    public int Ldb { get; }

    /// <summary>Scale of the existing C.</summary>
    public T Beta { get; }

    /// <summary>Whether beta is zero, so C is written without being read.</summary>
    public bool BetaIsZero { get; }

    /// <summary>C, updated in place.</summary>
    public T* C { get; }

    /// <summary>Leading dimension of C.</summary>
    public int Ldc { get; }
}
