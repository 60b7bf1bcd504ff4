namespace MLNetJacobian.Compute;

/// <summary>The micro-kernel family a <see cref="ManagedGemmProvider"/> runs.</summary>
/// <remarks>
/// By default the provider runs the widest kernel the processor supports. The environment variable
/// <c>MLNETJACOBIAN_GEMM_KERNEL</c> (<c>avx512</c>, <c>avx2</c> or <c>portable</c>) caps it: a narrower kernel is used
/// when the variable names one; a cap wider than the processor supports changes nothing. <see cref="Avx512"/> and
/// <see cref="Avx2"/> compute every element with the same fused multiply-adds in the same order, so their results are
/// bit-identical; <see cref="Portable"/> rounds each product before adding it, so its results differ in the last bits.
/// </remarks>
internal enum GemmKernel
{
    /// <summary>128-bit vectors with separate multiply and add: any processor.</summary>
    Portable,

    /// <summary>256-bit AVX2 with fused multiply-add: a 6 x 16 single-precision tile (6 x 8 in double).</summary>
    Avx2,

    /// <summary>512-bit AVX-512F with fused multiply-add: a 6 x 32 single-precision tile (6 x 16 in double).</summary>
    Avx512,
}

/// <summary>Which <see cref="GemmKernel"/> the processor runs, and the one the environment allows.</summary>
internal static class GemmKernels
{
    /// <summary>The environment variable that caps the kernel.</summary>
    public const string EnvironmentVariable = "MLNETJACOBIAN_GEMM_KERNEL";

    /// <summary>Whether the processor runs <paramref name="kernel"/> in hardware.</summary>
    public static bool IsSupported(GemmKernel kernel) => kernel switch
    {
        GemmKernel.Avx512 => Avx512Lanes<float>.IsSupported,
        GemmKernel.Avx2 => Avx2Lanes<float>.IsSupported,
        _ => true,
    };

    /// <summary>The widest kernel the processor runs.</summary>
    public static GemmKernel Widest =>
        IsSupported(GemmKernel.Avx512) ? GemmKernel.Avx512 : IsSupported(GemmKernel.Avx2) ? GemmKernel.Avx2 : GemmKernel.Portable;

    /// <summary>The widest kernel the processor runs, capped by <see cref="EnvironmentVariable"/>.</summary>
    /// <exception cref="InvalidOperationException">The variable holds something other than avx512, avx2 or portable.</exception>
    public static GemmKernel Default => Capped(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The widest kernel the processor runs, capped by <paramref name="value"/> (the variable's text, or null).</summary>
    /// <exception cref="InvalidOperationException"><paramref name="value"/> is not avx512, avx2 or portable.</exception>
    public static GemmKernel Capped(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return Widest;
        GemmKernel cap = value.Trim().ToLowerInvariant() switch
        {
            "avx512" => GemmKernel.Avx512,
            "avx2" => GemmKernel.Avx2,
            "portable" => GemmKernel.Portable,
            _ => throw new InvalidOperationException(
                $"The environment variable {EnvironmentVariable} is '{value}'; it must be avx512, avx2 or portable."),
        };
        return (GemmKernel)Math.Min((int)cap, (int)Widest);
    }
}
