using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetJacobian.Compute;

/// <summary>The double-precision 6 x 8 AVX2 + FMA micro-kernel.</summary>
/// <remarks>
/// Twelve 4-wide accumulators hold the 6 x 8 tile; each step of <c>p</c> loads two vectors of the
/// B micro-panel (<c>b[p, 0..7]</c>), broadcasts the six values <c>a[p, r]</c> one at a time and issues
/// twelve fused multiply-adds: 15 of the 16 ymm registers, no spills.
/// </remarks>
internal readonly struct Avx2DoubleMicroKernel : IGemmMicroKernel<double>
{
    /// <summary>Whether the processor runs this kernel.</summary>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <inheritdoc />
    public static int TileRows => 6;

    /// <inheritdoc />
    public static int ShortTileRows => 4;

    /// <inheritdoc />
    public static int TileColumns => 8;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Multiply(int depth, double* a, nint aRowStride, nint aDepthStride, double* packedB,
        double* c, nint ldc, double alpha, double beta, bool overwrite) =>
        Tile(depth, a, aRowStride, aDepthStride, packedB, c, ldc, alpha, beta, overwrite, sixRows: true);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void MultiplyFourRows(int depth, double* a, nint aRowStride, nint aDepthStride, double* packedB,
        double* c, nint ldc, double alpha, double beta, bool overwrite) =>
        Tile(depth, a, aRowStride, aDepthStride, packedB, c, ldc, alpha, beta, overwrite, sixRows: false);

    /// <summary>
    /// The kernel body for six rows or the first four; inlined into both entries with <paramref name="sixRows"/>
    /// constant, so the four-row copy has no trace of rows 4-5 and both sum each element identically.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile(int depth, double* a, nint aRowStride, nint aDepthStride, double* packedB,
        double* c, nint ldc, double alpha, double beta, bool overwrite, bool sixRows)
    {
        // a: rows r at a + r * aRowStride, steps p at + p * aDepthStride; packedB: [depth, 8]; c: 6 (or 4) x 8,
        // row stride ldc. Rows 0-2 hang off a0 and rows 3-5 off a3 so every broadcast is one addressing mode.
        Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<double> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        double* a0 = a;
        double* a3 = a + 3 * aRowStride;
        nint twoRows = 2 * aRowStride;
        double* b = packedB;
        for (int p = 0; p < depth; p++)
        {
            Vector256<double> b0 = Avx.LoadVector256(b);
            Vector256<double> b1 = Avx.LoadVector256(b + 4);
            Vector256<double> av = Avx.BroadcastScalarToVector256(a0);
            c00 = Fma.MultiplyAdd(av, b0, c00);
            c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Avx.BroadcastScalarToVector256(a0 + aRowStride);
            c10 = Fma.MultiplyAdd(av, b0, c10);
            c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Avx.BroadcastScalarToVector256(a0 + twoRows);
            c20 = Fma.MultiplyAdd(av, b0, c20);
            c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Avx.BroadcastScalarToVector256(a3);
            c30 = Fma.MultiplyAdd(av, b0, c30);
            c31 = Fma.MultiplyAdd(av, b1, c31);
            if (sixRows)
            {
                av = Avx.BroadcastScalarToVector256(a3 + aRowStride);
                c40 = Fma.MultiplyAdd(av, b0, c40);
                c41 = Fma.MultiplyAdd(av, b1, c41);
                av = Avx.BroadcastScalarToVector256(a3 + twoRows);
                c50 = Fma.MultiplyAdd(av, b0, c50);
                c51 = Fma.MultiplyAdd(av, b1, c51);
            }

            a0 += aDepthStride;
            a3 += aDepthStride;
            b += 8;
        }

        Vector256<double> alphaVector = Vector256.Create(alpha), betaVector = Vector256.Create(beta);
        StoreRow(c, c00, c01, alphaVector, betaVector, overwrite);
        StoreRow(c + ldc, c10, c11, alphaVector, betaVector, overwrite);
        StoreRow(c + 2 * ldc, c20, c21, alphaVector, betaVector, overwrite);
        StoreRow(c + 3 * ldc, c30, c31, alphaVector, betaVector, overwrite);
        if (sixRows)
        {
            StoreRow(c + 4 * ldc, c40, c41, alphaVector, betaVector, overwrite);
            StoreRow(c + 5 * ldc, c50, c51, alphaVector, betaVector, overwrite);
        }
    }

    /// <summary>One row of the tile: <c>C = alpha * acc</c> when overwriting, else <c>C = alpha * acc + (beta * C)</c> (one rounding for the fused step).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(double* row, Vector256<double> left, Vector256<double> right, Vector256<double> alpha,
        Vector256<double> beta, bool overwrite)
    {
        if (overwrite)
        {
            Avx.Store(row, Avx.Multiply(left, alpha));
            Avx.Store(row + 4, Avx.Multiply(right, alpha));
        }
        else
        {
            Avx.Store(row, Fma.MultiplyAdd(left, alpha, Avx.Multiply(Avx.LoadVector256(row), beta)));
            Avx.Store(row + 4, Fma.MultiplyAdd(right, alpha, Avx.Multiply(Avx.LoadVector256(row + 4), beta)));
        }
    }
}
