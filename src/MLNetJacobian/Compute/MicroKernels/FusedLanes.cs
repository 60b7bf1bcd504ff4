using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetJacobian.Compute;

/// <summary>
/// The vector operations a <see cref="FusedMicroKernel{T, TLanes, TVector}"/> needs, for one register width: the
/// kernel body is written once and specialized by the JIT for each width.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TVector">The register type (<see cref="Vector256{T}"/>, <see cref="Vector512{T}"/>).</typeparam>
/// <remarks>
/// Every operation is lane-wise and the multiply-add rounds once, so a kernel computes each element of C with the same
/// arithmetic whatever the width: only how many columns one instruction covers changes.
/// </remarks>
internal interface IFusedLanes<T, TVector>
    where T : unmanaged
    where TVector : unmanaged
{
    /// <summary>Lanes per register.</summary>
    static abstract int Count { get; }

    /// <summary>Whether the processor runs these operations in hardware.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>Loads <see cref="Count"/> values.</summary>
    static abstract unsafe TVector Load(T* source);

    /// <summary>Stores <see cref="Count"/> values.</summary>
    static abstract unsafe void Store(TVector value, T* destination);

    /// <summary>All lanes set to <c>*source</c>, read from memory (one instruction, or folded into the FMA).</summary>
    static abstract unsafe TVector Broadcast(T* source);

    /// <summary>All lanes set to <paramref name="value"/>.</summary>
    static abstract TVector Create(T value);

    /// <summary><c>x * y + addend</c> with one rounding.</summary>
    static abstract TVector MultiplyAdd(TVector x, TVector y, TVector addend);

    /// <summary><c>x * y</c>.</summary>
    static abstract TVector Multiply(TVector x, TVector y);
}

/// <summary>256-bit lanes through the AVX and FMA instructions (16 ymm registers).</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>The element type enters only through type tests the JIT folds away in each instantiation.</remarks>
internal readonly struct Avx2Lanes<T> : IFusedLanes<T, Vector256<T>> where T : unmanaged
{
    /// <inheritdoc />
    public static int Count => Vector256<T>.Count;

    /// <inheritdoc />
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<T> Load(T* source) => Vector256.Load(source);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(Vector256<T> value, T* destination) => Vector256.Store(value, destination);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<T> Broadcast(T* source) =>
        typeof(T) == typeof(float)
            ? Avx.BroadcastScalarToVector256((float*)source).As<float, T>()
            : Avx.BroadcastScalarToVector256((double*)source).As<double, T>();

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Create(T value) => Vector256.Create(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> x, Vector256<T> y, Vector256<T> addend) =>
        typeof(T) == typeof(float)
            ? Fma.MultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>()
            : Fma.MultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> x, Vector256<T> y) => x * y;
}

/// <summary>512-bit lanes (AVX-512F: 32 zmm registers), through the portable <see cref="Vector512"/> operations.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// Where AVX-512F is present the JIT turns each operation into one instruction (the broadcast becomes a
/// <c>vbroadcastss</c>/<c>vbroadcastsd</c> from memory or an embedded broadcast of the FMA). Elsewhere the same code runs
/// in the runtime's software form of <see cref="Vector512{T}"/>, slowly but with exactly the same values (its fused
/// multiply-add is lane-wise <see cref="Math.FusedMultiplyAdd(double, double, double)"/>): the kernel tests run it so
/// on machines without AVX-512, and the provider never chooses it there.
/// </remarks>
internal readonly struct Avx512Lanes<T> : IFusedLanes<T, Vector512<T>> where T : unmanaged
{
    /// <inheritdoc />
    public static int Count => Vector512<T>.Count;

    /// <inheritdoc />
    /// <remarks>
    /// Avx512F alone decides: on processors whose clock drops under 512-bit load the runtime reports
    /// <see cref="Vector512.IsHardwareAccelerated"/> false (a hint for code that may pick a width), yet still compiles
    /// these operations to AVX-512 instructions, and a GEMM with two 512-bit FMA ports gains from them regardless.
    /// </remarks>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<T> Load(T* source) => Vector512.Load(source);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(Vector512<T> value, T* destination) => Vector512.Store(value, destination);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<T> Broadcast(T* source) => Vector512.Create(*source);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Create(T value) => Vector512.Create(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> x, Vector512<T> y, Vector512<T> addend) =>
        typeof(T) == typeof(float)
            ? Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>()
            : Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> x, Vector512<T> y) => x * y;
}
