using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using MLNetJacobian.Compute;

namespace MLNetJacobian.Network;

/// <summary>
/// Routes a GEMM on a generic element type to the float or double overload of an
/// <see cref="IGemmProvider"/>. The type test is resolved by the JIT, so the dispatch costs nothing at run time.
/// </summary>
internal static class GenericGemm
{
    /// <summary>Whether <typeparamref name="T"/> is one of the two element types the engine supports.</summary>
    public static bool IsSupported<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double);

    /// <summary>Throws <see cref="NotSupportedException"/> unless <typeparamref name="T"/> is float or double.</summary>
    public static void EnsureSupported<T>()
    {
        if (!IsSupported<T>())
        {
            throw new NotSupportedException(
                $"The network engine supports float and double; {typeof(T).Name} is not supported.");
        }
    }

    /// <summary><c>C = alpha * op(A) * op(B) + beta * C</c>, row-major; see <see cref="IGemmProvider"/>.</summary>
    public static void Gemm<T>(IGemmProvider gemm, MatrixTranspose transposeA, MatrixTranspose transposeB,
        int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            gemm.Gemm(transposeA, transposeB, m, n, k, double.CreateTruncating(alpha),
                MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb,
                double.CreateTruncating(beta), MemoryMarshal.Cast<T, double>(c), ldc);
        }
        else
        {
            Debug.Assert(typeof(T) == typeof(float), "Only float and double reach the GEMM.");
            gemm.Gemm(transposeA, transposeB, m, n, k, float.CreateTruncating(alpha),
                MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb,
                float.CreateTruncating(beta), MemoryMarshal.Cast<T, float>(c), ldc);
        }
    }
}
