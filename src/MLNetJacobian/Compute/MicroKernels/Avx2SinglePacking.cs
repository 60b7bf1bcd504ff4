using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetJacobian.Compute;

/// <summary>
/// AVX packing of the two transposing single-precision cases, by 8 x 8 register transposes:
/// full 6-row panels of a row-major A and full panels (16 or 32 columns) of a transposed B.
/// </summary>
/// <remarks>
/// Packing only moves values, so these produce exactly the panels of the scalar loops in
/// <see cref="GemmPacking{T, TKernel}"/>; they exist because a strided scalar copy costs as much as a
/// sizeable share of the multiply on the narrow training shapes.
/// </remarks>
internal static unsafe class Avx2SinglePacking
{
    /// <summary>Whether the processor runs these routines.</summary>
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>
    /// <c>panel[p * 6 + r] = source[r * lda + p]</c> for <c>r &lt; 6</c>, <c>p &lt; depth</c>: six rows interleaved.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackSixRows(float* source, nint lda, int depth, float* panel)
    {
        float* row0 = source, row1 = source + lda, row2 = source + 2 * lda;
        float* row3 = source + 3 * lda, row4 = source + 4 * lda, row5 = source + 5 * lda;
        int p = 0;
        for (; p + 8 <= depth; p += 8)
        {
            Vector256<float> v0 = Avx.LoadVector256(row0 + p), v1 = Avx.LoadVector256(row1 + p);
            Vector256<float> v2 = Avx.LoadVector256(row2 + p), v3 = Avx.LoadVector256(row3 + p);
            Vector256<float> v4 = Avx.LoadVector256(row4 + p), v5 = Avx.LoadVector256(row5 + p);
            Vector256<float> v6 = Vector256<float>.Zero, v7 = Vector256<float>.Zero;
            Transpose(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
            float* target = panel + p * 6;
            StoreSix(target, v0);
            StoreSix(target + 6, v1);
            StoreSix(target + 12, v2);
            StoreSix(target + 18, v3);
            StoreSix(target + 24, v4);
            StoreSix(target + 30, v5);
            StoreSix(target + 36, v6);
            StoreSix(target + 42, v7);
        }

        for (; p < depth; p++)
        {
            float* target = panel + p * 6;
            target[0] = row0[p];
            target[1] = row1[p];
            target[2] = row2[p];
            target[3] = row3[p];
            target[4] = row4[p];
            target[5] = row5[p];
        }
    }

    /// <summary>
    /// <c>panel[p * width + j] = source[j * ldb + p]</c> for <c>j &lt; width</c>, <c>p &lt; depth</c>: <paramref name="width"/>
    /// rows (a multiple of 8) interleaved, eight at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackRows(float* source, nint ldb, int depth, int width, float* panel)
    {
        for (int group = 0; group < width; group += 8)
        {
            float* first = source + group * ldb;
            float* target = panel + group;
            int p = 0;
            for (; p + 8 <= depth; p += 8)
            {
                float* from = first + p;
                Vector256<float> v0 = Avx.LoadVector256(from), v1 = Avx.LoadVector256(from + ldb);
                Vector256<float> v2 = Avx.LoadVector256(from + 2 * ldb), v3 = Avx.LoadVector256(from + 3 * ldb);
                Vector256<float> v4 = Avx.LoadVector256(from + 4 * ldb), v5 = Avx.LoadVector256(from + 5 * ldb);
                Vector256<float> v6 = Avx.LoadVector256(from + 6 * ldb), v7 = Avx.LoadVector256(from + 7 * ldb);
                Transpose(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
                float* to = target + (nint)p * width;
                Avx.Store(to, v0);
                Avx.Store(to + width, v1);
                Avx.Store(to + 2 * width, v2);
                Avx.Store(to + 3 * width, v3);
                Avx.Store(to + 4 * width, v4);
                Avx.Store(to + 5 * width, v5);
                Avx.Store(to + 6 * width, v6);
                Avx.Store(to + 7 * width, v7);
            }

            for (; p < depth; p++)
            {
                float* to = target + (nint)p * width;
                for (int j = 0; j < 8; j++) to[j] = first[j * ldb + p];
            }
        }
    }

    /// <summary>Stores the first six lanes of <paramref name="value"/> (four, then two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSix(float* target, Vector256<float> value)
    {
        Sse.Store(target, value.GetLower());
        Sse.StoreLow(target + 4, value.GetUpper());
    }

    /// <summary>In-register transpose: on return <c>v_j[i]</c> holds the former <c>v_i[j]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(ref Vector256<float> v0, ref Vector256<float> v1, ref Vector256<float> v2,
        ref Vector256<float> v3, ref Vector256<float> v4, ref Vector256<float> v5, ref Vector256<float> v6,
        ref Vector256<float> v7)
    {
        // Pairs of rows interleaved within each 128-bit lane.
        Vector256<float> t0 = Avx.UnpackLow(v0, v1), t1 = Avx.UnpackHigh(v0, v1);
        Vector256<float> t2 = Avx.UnpackLow(v2, v3), t3 = Avx.UnpackHigh(v2, v3);
        Vector256<float> t4 = Avx.UnpackLow(v4, v5), t5 = Avx.UnpackHigh(v4, v5);
        Vector256<float> t6 = Avx.UnpackLow(v6, v7), t7 = Avx.UnpackHigh(v6, v7);

        // Quads of rows: s0 holds column 0 of rows 0-3 (low lane) and column 4 (high lane), and so on.
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);

        // Join the lanes of rows 0-3 and rows 4-7.
        v0 = Avx.Permute2x128(s0, s4, 0x20);
        v1 = Avx.Permute2x128(s1, s5, 0x20);
        v2 = Avx.Permute2x128(s2, s6, 0x20);
        v3 = Avx.Permute2x128(s3, s7, 0x20);
        v4 = Avx.Permute2x128(s0, s4, 0x31);
        v5 = Avx.Permute2x128(s1, s5, 0x31);
        v6 = Avx.Permute2x128(s2, s6, 0x31);
        v7 = Avx.Permute2x128(s3, s7, 0x31);
    }
}
