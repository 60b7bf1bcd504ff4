using MLNetJacobian.Compute;

namespace MLNetJacobian.Trainers;

/// <summary>The GEMM provider the ML.NET trainer trains and validates with.</summary>
internal static class TrainingGemm
{
    /// <summary>The library's default provider, <see cref="ManagedGemmProvider"/>, for up to <paramref name="threads"/> threads.</summary>
    public static IGemmProvider Create(int threads) => new ManagedGemmProvider(threads);
}
