using MLNetJacobian.Compute;

namespace MLNetJacobian.Tests.Compute;

/// <summary>
/// The AVX2 micro-kernel against the arithmetic its contract states, bit for bit: each accumulator is a chain of
/// fused multiply-adds in increasing p, then <c>alpha * acc</c> (overwrite) or <c>fma(acc, alpha, beta * C)</c>.
/// Covers the three copies of its body (A in place, A packed, any other strides), six and four rows, and depths
/// that leave every remainder of the four-step unrolling.
/// </summary>
public class Avx2MicroKernelTests
{
    public static TheoryData<string, int, bool, bool> Cases()
    {
        var data = new TheoryData<string, int, bool, bool>();
        foreach (string layout in new[] { "in place", "packed", "strided" })
        {
            foreach (int depth in new[] { 1, 2, 3, 4, 5, 7, 8, 13, 392 })
            {
                data.Add(layout, depth, true, depth % 2 == 0);
                data.Add(layout, depth, false, depth % 2 == 1);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public unsafe void Multiply_Single_EqualsOrderedFusedChainBitForBit(string layout, int depth, bool sixRows, bool overwrite)
    {
        if (!Avx2MicroKernel<float>.IsSupported) return;
        const int rows = 6, columns = 16, ldc = 21;
        var (rowStride, depthStride) = Strides(layout, depth, rows);
        var random = new Random(depth * 31 + (sixRows ? 1 : 0));
        float[] a = Fill(random, rows * depth * 8 + 64);
        float[] b = Fill(random, depth * columns);
        float[] c = Fill(random, rows * ldc);
        float[] expected = (float[])c.Clone();
        const float alpha = 0.75f, beta = -1.25f;
        int activeRows = sixRows ? 6 : 4;
        for (int r = 0; r < activeRows; r++)
        {
            for (int j = 0; j < columns; j++)
            {
                float accumulator = 0;
                for (int p = 0; p < depth; p++)
                {
                    accumulator = MathF.FusedMultiplyAdd(a[r * rowStride + p * depthStride], b[p * columns + j], accumulator);
                }

                expected[r * ldc + j] = overwrite
                    ? accumulator * alpha
                    : MathF.FusedMultiplyAdd(accumulator, alpha, c[r * ldc + j] * beta);
            }
        }

        fixed (float* aPointer = a)
        fixed (float* bPointer = b)
        fixed (float* cPointer = c)
        {
            if (sixRows)
            {
                Avx2MicroKernel<float>.Multiply(depth, aPointer, rowStride, depthStride, bPointer, cPointer, ldc, alpha, beta, overwrite);
            }
            else
            {
                Avx2MicroKernel<float>.MultiplyFourRows(depth, aPointer, rowStride, depthStride, bPointer, cPointer, ldc, alpha,
                    beta, overwrite);
            }
        }

        Assert.Equal(expected, c); // rows 4-5 of a four-row tile and the columns past 16 must be untouched too
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public unsafe void Multiply_Double_EqualsOrderedFusedChainBitForBit(string layout, int depth, bool sixRows, bool overwrite)
    {
        if (!Avx2MicroKernel<double>.IsSupported) return;
        const int rows = 6, columns = 8, ldc = 11;
        var (rowStride, depthStride) = Strides(layout, depth, rows);
        var random = new Random(depth * 37 + (sixRows ? 1 : 0));
        double[] a = Fill(random, rows * depth * 8 + 64).Select(value => (double)value * (1 + 1e-9)).ToArray();
        double[] b = Fill(random, depth * columns).Select(value => (double)value).ToArray();
        double[] c = Fill(random, rows * ldc).Select(value => (double)value).ToArray();
        double[] expected = (double[])c.Clone();
        const double alpha = 0.75, beta = -1.25;
        int activeRows = sixRows ? 6 : 4;
        for (int r = 0; r < activeRows; r++)
        {
            for (int j = 0; j < columns; j++)
            {
                double accumulator = 0;
                for (int p = 0; p < depth; p++)
                {
                    accumulator = Math.FusedMultiplyAdd(a[r * rowStride + p * depthStride], b[p * columns + j], accumulator);
                }

                expected[r * ldc + j] = overwrite
                    ? accumulator * alpha
                    : Math.FusedMultiplyAdd(accumulator, alpha, c[r * ldc + j] * beta);
            }
        }

        fixed (double* aPointer = a)
        fixed (double* bPointer = b)
        fixed (double* cPointer = c)
        {
            if (sixRows)
            {
                Avx2MicroKernel<double>.Multiply(depth, aPointer, rowStride, depthStride, bPointer, cPointer, ldc, alpha, beta, overwrite);
            }
            else
            {
                Avx2MicroKernel<double>.MultiplyFourRows(depth, aPointer, rowStride, depthStride, bPointer, cPointer, ldc, alpha,
                    beta, overwrite);
            }
        }

        Assert.Equal(expected, c);
    }

    /// <summary>A in place: rows of a row-major matrix (stride depth + 3); packed: [depth, 6]; strided: neither.</summary>
    private static (int RowStride, int DepthStride) Strides(string layout, int depth, int rows) => layout switch
    {
        "in place" => (depth + 3, 1),
        "packed" => (1, rows),
        _ => (2, 2 * rows + 1),
    };

    private static float[] Fill(Random random, int length)
    {
        var values = new float[length];
        for (int index = 0; index < length; index++) values[index] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
