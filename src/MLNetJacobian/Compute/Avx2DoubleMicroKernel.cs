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
    public static int TileColumns => 8;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Multiply(int depth, double* packedA, double* packedB, double* c, nint ldc,
        double alpha, double beta, bool overwrite)
    {
        // packedA: [depth, 6], packedB: [depth, 8], c: 6 x 8 tile with row stride ldc.
        Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<double> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        double* a = packedA;
        double* b = packedB;
        for (int p = 0; p < depth; p++)
        {
            Vector256<double> b0 = Avx.LoadVector256(b);
            Vector256<double> b1 = Avx.LoadVector256(b + 4);
            Vector256<double> av = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(av, b0, c00);
            c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(av, b0, c10);
            c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(av, b0, c20);
            c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Avx.BroadcastScalarToVector256(a + 3);
            c30 = Fma.MultiplyAdd(av, b0, c30);
            c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Avx.BroadcastScalarToVector256(a + 4);
            c40 = Fma.MultiplyAdd(av, b0, c40);
            c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Avx.BroadcastScalarToVector256(a + 5);
            c50 = Fma.MultiplyAdd(av, b0, c50);
            c51 = Fma.MultiplyAdd(av, b1, c51);
            a += 6;
            b += 8;
        }

        Vector256<double> alphaVector = Vector256.Create(alpha);
        if (overwrite)
        {
            StoreScaled(c, c00, c01, alphaVector);
            StoreScaled(c + ldc, c10, c11, alphaVector);
            StoreScaled(c + 2 * ldc, c20, c21, alphaVector);
            StoreScaled(c + 3 * ldc, c30, c31, alphaVector);
            StoreScaled(c + 4 * ldc, c40, c41, alphaVector);
            StoreScaled(c + 5 * ldc, c50, c51, alphaVector);
        }
        else
        {
            Vector256<double> betaVector = Vector256.Create(beta);
            StoreMerged(c, c00, c01, alphaVector, betaVector);
            StoreMerged(c + ldc, c10, c11, alphaVector, betaVector);
            StoreMerged(c + 2 * ldc, c20, c21, alphaVector, betaVector);
            StoreMerged(c + 3 * ldc, c30, c31, alphaVector, betaVector);
            StoreMerged(c + 4 * ldc, c40, c41, alphaVector, betaVector);
            StoreMerged(c + 5 * ldc, c50, c51, alphaVector, betaVector);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreScaled(double* row, Vector256<double> left, Vector256<double> right, Vector256<double> alpha)
    {
        Avx.Store(row, Avx.Multiply(left, alpha));
        Avx.Store(row + 4, Avx.Multiply(right, alpha));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreMerged(double* row, Vector256<double> left, Vector256<double> right,
        Vector256<double> alpha, Vector256<double> beta)
    {
        // C = alpha * acc + (beta * C), one rounding for the fused step.
        Avx.Store(row, Fma.MultiplyAdd(left, alpha, Avx.Multiply(Avx.LoadVector256(row), beta)));
        Avx.Store(row + 4, Fma.MultiplyAdd(right, alpha, Avx.Multiply(Avx.LoadVector256(row + 4), beta)));
    }
}
