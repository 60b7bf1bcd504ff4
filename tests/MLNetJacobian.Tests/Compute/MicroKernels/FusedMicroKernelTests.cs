using System.Numerics;
using System.Runtime.Intrinsics;
using MLNetJacobian.Compute;

namespace MLNetJacobian.Tests.Compute;

/// <summary>
/// The fused micro-kernels (AVX2 and AVX-512) against the arithmetic their contract states, bit for bit: each
/// accumulator is a chain of fused multiply-adds in increasing p, then <c>alpha * acc</c> (overwrite) or
/// <c>fma(acc, alpha, beta * C)</c>. Covers the three copies of the body (A in place, A packed, any other strides), six
/// and four rows, and depths that leave every remainder of the four-step unrolling. The AVX-512 kernel runs on the
/// hardware where it exists and in the runtime's software 512-bit vectors elsewhere (the same values); the AVX2 kernel
/// where the processor has AVX2 and FMA.
/// </summary>
public class FusedMicroKernelTests
{
    public static TheoryData<string, string, int, bool, bool> Cases()
    {
        var data = new TheoryData<string, string, int, bool, bool>();
        foreach (GemmKernel kernel in new[] { GemmKernel.Avx2, GemmKernel.Avx512 })
        {
            foreach (string layout in new[] { "in place", "packed", "strided" })
            {
                foreach (int depth in new[] { 1, 2, 3, 4, 5, 7, 8, 13, 392 })
                {
                    data.Add(kernel.ToString(), layout, depth, true, depth % 2 == 0);
                    data.Add(kernel.ToString(), layout, depth, false, depth % 2 == 1);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Multiply_Single_EqualsOrderedFusedChainBitForBit(string kernel, string layout, int depth, bool sixRows,
        bool overwrite) =>
        AssertKernelMatchesFusedChain<float>(Enum.Parse<GemmKernel>(kernel), layout, depth, sixRows, overwrite);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Multiply_Double_EqualsOrderedFusedChainBitForBit(string kernel, string layout, int depth, bool sixRows,
        bool overwrite) =>
        AssertKernelMatchesFusedChain<double>(Enum.Parse<GemmKernel>(kernel), layout, depth, sixRows, overwrite);

    [Fact]
    public void TileShapes_SixRowsByTwoRegisters()
    {
        Assert.Equal(6, FusedMicroKernel<float, Avx512Lanes<float>, Vector512<float>>.TileRows);
        Assert.Equal(32, FusedMicroKernel<float, Avx512Lanes<float>, Vector512<float>>.TileColumns);
        Assert.Equal(16, FusedMicroKernel<double, Avx512Lanes<double>, Vector512<double>>.TileColumns);
        Assert.Equal(16, FusedMicroKernel<float, Avx2Lanes<float>, Vector256<float>>.TileColumns);
        Assert.Equal(8, FusedMicroKernel<double, Avx2Lanes<double>, Vector256<double>>.TileColumns);
    }

    /// <summary>AVX-512 always (in hardware or software vectors); AVX2 where the processor has it.</summary>
    private static void AssertKernelMatchesFusedChain<T>(GemmKernel kernel, string layout, int depth, bool sixRows, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (kernel == GemmKernel.Avx512)
        {
            AssertMatchesFusedChain<T, FusedMicroKernel<T, Avx512Lanes<T>, Vector512<T>>>(layout, depth, sixRows, overwrite);
        }
        else if (GemmKernels.IsSupported(GemmKernel.Avx2))
        {
            AssertMatchesFusedChain<T, FusedMicroKernel<T, Avx2Lanes<T>, Vector256<T>>>(layout, depth, sixRows, overwrite);
        }
    }

    private static unsafe void AssertMatchesFusedChain<T, TKernel>(string layout, int depth, bool sixRows, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        const int rows = 6;
        int columns = TKernel.TileColumns, ldc = columns + 5;
        var (rowStride, depthStride) = Strides(layout, depth, rows);
        var random = new Random(depth * 31 + (sixRows ? 1 : 0) + columns);
        T[] a = Fill<T>(random, rows * depth * 8 + 64);
        T[] b = Fill<T>(random, depth * columns);
        T[] c = Fill<T>(random, rows * ldc);
        T[] expected = (T[])c.Clone();
        T alpha = T.CreateChecked(0.75), beta = T.CreateChecked(-1.25);
        int activeRows = sixRows ? 6 : 4;
        for (int r = 0; r < activeRows; r++)
        {
            for (int j = 0; j < columns; j++)
            {
                T accumulator = T.Zero;
                for (int p = 0; p < depth; p++)
                {
                    accumulator = T.FusedMultiplyAdd(a[r * rowStride + p * depthStride], b[p * columns + j], accumulator);
                }

                expected[r * ldc + j] = overwrite
                    ? accumulator * alpha
                    : T.FusedMultiplyAdd(accumulator, alpha, c[r * ldc + j] * beta);
            }
        }

        fixed (T* aPointer = a)
        fixed (T* bPointer = b)
        fixed (T* cPointer = c)
        {
            if (sixRows)
            {
                TKernel.Multiply(depth, aPointer, rowStride, depthStride, bPointer, cPointer, ldc, alpha, beta, overwrite);
            }
            else
            {
                TKernel.MultiplyFourRows(depth, aPointer, rowStride, depthStride, bPointer, cPointer, ldc, alpha,
                    beta, overwrite);
            }
        }

        Assert.Equal(expected, c); // rows 4-5 of a four-row tile and the columns past the tile must be untouched too
    }

    /// <summary>A in place: rows of a row-major matrix (stride depth + 3); packed: [depth, 6]; strided: neither.</summary>
    private static (int RowStride, int DepthStride) Strides(string layout, int depth, int rows) => layout switch
    {
        "in place" => (depth + 3, 1),
        "packed" => (1, rows),
        _ => (2, 2 * rows + 1),
    };

    private static T[] Fill<T>(Random random, int length) where T : IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (int index = 0; index < length; index++) values[index] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return values;
    }
}
