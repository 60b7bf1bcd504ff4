using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetJacobian.Compute;

/// <summary>
/// The portable micro-kernel: a 4 x (2 * <see cref="Vector128{T}.Count"/>) tile with separate multiply and add,
/// for processors without AVX2 + FMA (and as the reference twin of the AVX2 kernels in tests).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// Eight 128-bit accumulators: <c>acc[r, j] += a[p, r] * b[p, j]</c> (rounded product, then rounded sum),
/// then <c>C = alpha * acc + beta * C</c>. Where the hardware has no 128-bit vectors the runtime's software
/// fallback computes the same values.
/// </remarks>
internal readonly struct PortableMicroKernel<T> : IGemmMicroKernel<T> where T : unmanaged
{
    /// <inheritdoc />
    public static int TileRows => 4;

    /// <inheritdoc />
    public static int ShortTileRows => 4;

    /// <inheritdoc />
    public static int TileColumns => 2 * Vector128<T>.Count;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Multiply(int depth, T* a, nint aRowStride, nint aDepthStride, T* packedB, T* c, nint ldc,
        T alpha, T beta, bool overwrite)
    {
        // a: rows r at a + r * aRowStride, steps p at + p * aDepthStride; packedB: [depth, 2 * width];
        // c: 4 x (2 * width) tile with row stride ldc.
        int width = Vector128<T>.Count;
        Vector128<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector128<T> c20 = default, c21 = default, c30 = default, c31 = default;
        T* b = packedB;
        nint twoRows = 2 * aRowStride, threeRows = 3 * aRowStride;
        for (int p = 0; p < depth; p++)
        {
            Vector128<T> b0 = Vector128.Load(b);
            Vector128<T> b1 = Vector128.Load(b + width);
            Vector128<T> av = Vector128.Create(a[0]);
            c00 += av * b0;
            c01 += av * b1;
            av = Vector128.Create(a[aRowStride]);
            c10 += av * b0;
            c11 += av * b1;
            av = Vector128.Create(a[twoRows]);
            c20 += av * b0;
            c21 += av * b1;
            av = Vector128.Create(a[threeRows]);
            c30 += av * b0;
            c31 += av * b1;
            a += aDepthStride;
            b += 2 * width;
        }

        Vector128<T> alphaVector = Vector128.Create(alpha);
        Vector128<T> betaVector = Vector128.Create(beta);
        Store(c, width, c00, c01, alphaVector, betaVector, overwrite);
        Store(c + ldc, width, c10, c11, alphaVector, betaVector, overwrite);
        Store(c + 2 * ldc, width, c20, c21, alphaVector, betaVector, overwrite);
        Store(c + 3 * ldc, width, c30, c31, alphaVector, betaVector, overwrite);
    }

    /// <inheritdoc />
    public static unsafe void MultiplyFourRows(int depth, T* a, nint aRowStride, nint aDepthStride, T* packedB, T* c,
        nint ldc, T alpha, T beta, bool overwrite) =>
        Multiply(depth, a, aRowStride, aDepthStride, packedB, c, ldc, alpha, beta, overwrite);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(T* row, int width, Vector128<T> left, Vector128<T> right,
        Vector128<T> alpha, Vector128<T> beta, bool overwrite)
    {
        if (overwrite)
        {
            Vector128.Store(left * alpha, row);
            Vector128.Store(right * alpha, row + width);
        }
        else
        {
            Vector128.Store(left * alpha + beta * Vector128.Load(row), row);
            Vector128.Store(right * alpha + beta * Vector128.Load(row + width), row + width);
        }
    }
}
