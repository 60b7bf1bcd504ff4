using System.Runtime.InteropServices;

namespace MLNetJacobian.Benchmarks.Gemm;

/// <summary>
/// OpenBLAS's <c>cblas_sgemm</c>, loaded at run time where the library exists: the yardstick, never a dependency.
/// </summary>
public sealed unsafe class OpenBlasLibrary
{
    private const int RowMajor = 101, NoTranspose = 111, Transpose = 112;

    /// <summary>Where Debian's libopenblas0-pthread (or the BLAS alternative pointing at it) puts the library.</summary>
    private static readonly string[] CandidatePaths =
    {
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "libopenblas.so.0",
    };

    private static readonly Lazy<(OpenBlasLibrary? Library, string Reason)> Loaded = new(Load);

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> sgemm;
    private readonly delegate* unmanaged<int, void> setThreads;

    private OpenBlasLibrary(string path, nint handle)
    {
        Path = path;
        sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)
            NativeLibrary.GetExport(handle, "cblas_sgemm");
        setThreads = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(handle, "openblas_set_num_threads");
    }

    /// <summary>The loaded library file.</summary>
    public string Path { get; }

    /// <summary>The library, or null with the reason it is absent.</summary>
    public static OpenBlasLibrary? TryGet(out string reason)
    {
        (OpenBlasLibrary? library, reason) = Loaded.Value;
        return library;
    }

    /// <summary>Sets OpenBLAS's thread count for the following calls.</summary>
    public void SetThreads(int threads) => setThreads(threads);

    /// <summary>Row-major <c>C = alpha * op(A) * op(B) + beta * C</c> through <c>cblas_sgemm</c>.</summary>
    public void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float[] a, int lda,
        float[] b, int ldb, float beta, float[] c, int ldc)
    {
        fixed (float* aPointer = a)
        fixed (float* bPointer = b)
        fixed (float* cPointer = c)
        {
            sgemm(RowMajor, transposeA ? Transpose : NoTranspose, transposeB ? Transpose : NoTranspose, m, n, k,
                alpha, aPointer, lda, bPointer, ldb, beta, cPointer, ldc);
        }
    }

    private static (OpenBlasLibrary?, string) Load()
    {
        foreach (string path in CandidatePaths)
        {
            if (!NativeLibrary.TryLoad(path, out nint handle)) continue;
            if (NativeLibrary.TryGetExport(handle, "cblas_sgemm", out _)
                && NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out _))
            {
                return (new OpenBlasLibrary(path, handle), string.Empty);
            }
        }

        return (null, "OpenBLAS not found (tried " + string.Join(", ", CandidatePaths)
            + "); skipping it. On Debian: apt-get install -y libopenblas0-pthread");
    }
}
