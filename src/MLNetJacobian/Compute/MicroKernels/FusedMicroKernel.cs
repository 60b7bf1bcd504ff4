using System.Runtime.CompilerServices;

namespace MLNetJacobian.Compute;

/// <summary>
/// The fused multiply-add micro-kernel: a tile of 6 rows by two registers of columns, for one register width
/// (<typeparamref name="TLanes"/>). With AVX2 + FMA (<see cref="Avx2Lanes{T}"/>) the tile is 6 x 16 in single precision
/// and 6 x 8 in double; with AVX-512F (<see cref="Avx512Lanes{T}"/>) 6 x 32 and 6 x 16.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TLanes">The register width's operations.</typeparam>
/// <typeparam name="TVector">Its register type.</typeparam>
/// <remarks>
/// <para>
/// Twelve accumulators hold the tile (two registers per row); each step of <c>p</c> loads the two registers of the B
/// micro-panel row <c>b[p, ..]</c>, broadcasts the six values <c>a[r, p]</c> one at a time and issues twelve fused
/// multiply-adds: 15 of AVX2's 16 ymm registers, no spills; 15 of AVX-512's 32 zmm registers.
/// </para>
/// <para>
/// Why the AVX-512 tile is 6 x 32 and not taller (12 x 32 or 14 x 32 would use 24-28 accumulators): it keeps the A
/// panel (<c>[6, KC]</c>, at most 19 KiB for float) in L1 at the depth blocks of up to 800 that the driver shares with
/// the AVX2 kernel, the cache blocking measured for this layout; a 12-row A panel is 38 KiB at KC = 784 and would
/// stream from L2. Keeping the 6-row tile and the depth blocks also makes the two widths compute every element of C
/// with the same operations in the same order: results are bit-identical between the AVX2 and AVX-512 kernels (the
/// tests assert it), so a model trained on either kind of processor is the same. The choice could not be measured on
/// the processor this was written on (no AVX-512); gemm-table prints both kernels side by side where AVX-512 exists.
/// </para>
/// </remarks>
internal readonly struct FusedMicroKernel<T, TLanes, TVector> : IGemmMicroKernel<T>
    where T : unmanaged
    where TLanes : IFusedLanes<T, TVector>
    where TVector : unmanaged
{
    /// <summary>Whether the processor runs this kernel in hardware.</summary>
    public static bool IsSupported => TLanes.IsSupported;

    /// <inheritdoc />
    public static int TileRows => 6;

    /// <inheritdoc />
    public static int ShortTileRows => 4;

    /// <inheritdoc />
    public static int TileColumns => 2 * TLanes.Count;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Multiply(int depth, T* a, nint aRowStride, nint aDepthStride, T* packedB,
        T* c, nint ldc, T alpha, T beta, bool overwrite) =>
        Dispatch(depth, a, aRowStride, aDepthStride, packedB, c, ldc, alpha, beta, overwrite, sixRows: true);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void MultiplyFourRows(int depth, T* a, nint aRowStride, nint aDepthStride, T* packedB,
        T* c, nint ldc, T alpha, T beta, bool overwrite) =>
        Dispatch(depth, a, aRowStride, aDepthStride, packedB, c, ldc, alpha, beta, overwrite, sixRows: false);

    /// <summary>
    /// Picks the copy of the kernel body for the A layout: in place (depth stride 1) or packed (strides 1 and
    /// <see cref="TileRows"/>) get a copy with that stride constant, so the unrolled steps address A by constant displacements; any other
    /// layout runs the general copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Dispatch(int depth, T* a, nint aRowStride, nint aDepthStride, T* packedB,
        T* c, nint ldc, T alpha, T beta, bool overwrite, bool sixRows)
    {
        if (aDepthStride == 1)
        {
            if (sixRows) InPlaceSix(depth, a, aRowStride, packedB, c, ldc, alpha, beta, overwrite);
            else InPlaceFour(depth, a, aRowStride, packedB, c, ldc, alpha, beta, overwrite);
        }
        else if (aRowStride == 1 && aDepthStride == TileRows)
        {
            if (sixRows) PackedSix(depth, a, packedB, c, ldc, alpha, beta, overwrite);
            else PackedFour(depth, a, packedB, c, ldc, alpha, beta, overwrite);
        }
        else
        {
            General(depth, a, aRowStride, aDepthStride, packedB, c, ldc, alpha, beta, overwrite, sixRows);
        }
    }

    // One method per copy of the body, so each is compiled (and inlines its helpers) on its own.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void InPlaceSix(int depth, T* a, nint aRowStride, T* packedB, T* c, nint ldc, T alpha, T beta,
        bool overwrite) =>
        Tile(depth, a, aRowStride, 1, packedB, c, ldc, alpha, beta, overwrite, sixRows: true);

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void InPlaceFour(int depth, T* a, nint aRowStride, T* packedB, T* c, nint ldc, T alpha, T beta,
        bool overwrite) =>
        Tile(depth, a, aRowStride, 1, packedB, c, ldc, alpha, beta, overwrite, sixRows: false);

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void PackedSix(int depth, T* a, T* packedB, T* c, nint ldc, T alpha, T beta, bool overwrite) =>
        Tile(depth, a, 1, TileRows, packedB, c, ldc, alpha, beta, overwrite, sixRows: true);

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void PackedFour(int depth, T* a, T* packedB, T* c, nint ldc, T alpha, T beta, bool overwrite) =>
        Tile(depth, a, 1, TileRows, packedB, c, ldc, alpha, beta, overwrite, sixRows: false);

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void General(int depth, T* a, nint aRowStride, nint aDepthStride, T* packedB, T* c, nint ldc,
        T alpha, T beta, bool overwrite, bool sixRows)
    {
        if (sixRows) Tile(depth, a, aRowStride, aDepthStride, packedB, c, ldc, alpha, beta, overwrite, sixRows: true);
        else Tile(depth, a, aRowStride, aDepthStride, packedB, c, ldc, alpha, beta, overwrite, sixRows: false);
    }

    /// <summary>
    /// The kernel body for six rows or the first four; inlined into each entry with <paramref name="sixRows"/>
    /// constant, so the four-row copy has no trace of rows 4-5 and both sum each element identically.
    /// </summary>
    /// <remarks>
    /// The depth loop is unrolled four times: the pointer updates, counter and branch run once per four steps, and
    /// each step addresses A and B by displacements from the same registers. (Paired 1 ms rounds against the loop
    /// stepping once: 8-18% faster on every training shape at one and two threads. The single-step loop ran at the
    /// FMA peak with its operands in L1 on a quiet machine; its seven bookkeeping instructions per twelve FMAs told
    /// once the core's front end was shared.) Each accumulator still sums its terms in increasing p.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile(int depth, T* a, nint aRowStride, nint aDepthStride, T* packedB,
        T* c, nint ldc, T alpha, T beta, bool overwrite, bool sixRows)
    {
        // a: rows r at a + r * aRowStride, steps p at + p * aDepthStride; packedB: [depth, 2W] (W = lanes);
        // c: 6 (or 4) x 2W, row stride ldc. Rows 0-2 hang off a0 and rows 3-5 off a3 so every broadcast is one
        // addressing mode.
        int width = TLanes.Count;
        TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TVector c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        T* a0 = a;
        T* a3 = a + 3 * aRowStride;
        nint twoRows = 2 * aRowStride;
        T* b = packedB;
        int p = 0;
        for (; p <= depth - 4; p += 4)
        {
            Step(a0, a3, 0, aRowStride, twoRows, b, 0, sixRows, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21,
                ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
            Step(a0, a3, aDepthStride, aRowStride, twoRows, b, 2 * width, sixRows, ref c00, ref c01, ref c10, ref c11,
                ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
            Step(a0, a3, 2 * aDepthStride, aRowStride, twoRows, b, 4 * width, sixRows, ref c00, ref c01, ref c10,
                ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
            Step(a0, a3, 3 * aDepthStride, aRowStride, twoRows, b, 6 * width, sixRows, ref c00, ref c01, ref c10,
                ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
            a0 += 4 * aDepthStride;
            a3 += 4 * aDepthStride;
            b += 8 * width;
        }

        for (; p < depth; p++)
        {
            Step(a0, a3, 0, aRowStride, twoRows, b, 0, sixRows, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21,
                ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
            a0 += aDepthStride;
            a3 += aDepthStride;
            b += 2 * width;
        }

        TVector alphaVector = TLanes.Create(alpha), betaVector = TLanes.Create(beta);
        StoreRow(c, width, c00, c01, alphaVector, betaVector, overwrite);
        StoreRow(c + ldc, width, c10, c11, alphaVector, betaVector, overwrite);
        StoreRow(c + 2 * ldc, width, c20, c21, alphaVector, betaVector, overwrite);
        StoreRow(c + 3 * ldc, width, c30, c31, alphaVector, betaVector, overwrite);
        if (sixRows)
        {
            StoreRow(c + 4 * ldc, width, c40, c41, alphaVector, betaVector, overwrite);
            StoreRow(c + 5 * ldc, width, c50, c51, alphaVector, betaVector, overwrite);
        }
    }

    /// <summary>
    /// One depth step: loads the two vectors of the B micro-panel row at <paramref name="b"/> + <paramref name="bOffset"/>,
    /// broadcasts each row's A value (<paramref name="offset"/> past <paramref name="a0"/> and <paramref name="a3"/>)
    /// and issues the tile's fused multiply-adds (twelve, or eight for the short tile). The offsets are constants at
    /// every call, so they fold into the addressing modes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Step(T* a0, T* a3, nint offset, nint rowStride, nint twoRows, T* b, int bOffset, bool sixRows,
        ref TVector c00, ref TVector c01, ref TVector c10, ref TVector c11, ref TVector c20,
        ref TVector c21, ref TVector c30, ref TVector c31, ref TVector c40, ref TVector c41,
        ref TVector c50, ref TVector c51)
    {
        TVector b0 = TLanes.Load(b + bOffset);
        TVector b1 = TLanes.Load(b + bOffset + TLanes.Count);
        Row(a0 + offset, b0, b1, ref c00, ref c01);
        Row(a0 + offset + rowStride, b0, b1, ref c10, ref c11);
        Row(a0 + offset + twoRows, b0, b1, ref c20, ref c21);
        Row(a3 + offset, b0, b1, ref c30, ref c31);
        if (sixRows)
        {
            Row(a3 + offset + rowStride, b0, b1, ref c40, ref c41);
            Row(a3 + offset + twoRows, b0, b1, ref c50, ref c51);
        }
    }

    /// <summary>One row of a depth step: broadcasts <c>*a</c> and adds its products with both B vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Row(T* a, TVector b0, TVector b1, ref TVector left, ref TVector right)
    {
        TVector av = TLanes.Broadcast(a);
        left = TLanes.MultiplyAdd(av, b0, left);
        right = TLanes.MultiplyAdd(av, b1, right);
    }

    /// <summary>One row of the tile: <c>C = alpha * acc</c> when overwriting, else <c>C = alpha * acc + (beta * C)</c> (one rounding for the fused step).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(T* row, int width, TVector left, TVector right, TVector alpha,
        TVector beta, bool overwrite)
    {
        if (overwrite)
        {
            TLanes.Store(TLanes.Multiply(left, alpha), row);
            TLanes.Store(TLanes.Multiply(right, alpha), row + width);
        }
        else
        {
            TLanes.Store(TLanes.MultiplyAdd(left, alpha, TLanes.Multiply(TLanes.Load(row), beta)), row);
            TLanes.Store(TLanes.MultiplyAdd(right, alpha, TLanes.Multiply(TLanes.Load(row + width), beta)), row + width);
        }
    }
}
