using System.Runtime.InteropServices;
using System.Text;
using MLNetJacobian.Benchmarks.Peers;

namespace MLNetJacobian.Benchmarks.Gemm;

/// <summary>
/// OpenBLAS's <c>cblas_sgemm</c>, loaded at run time where the library exists: the yardstick, never a dependency.
/// </summary>
/// <remarks>
/// <see cref="TryGet"/> loads the library on the kernels OpenBLAS picks for this processor: the benchmark re-executes
/// itself without the forcing variables first (<see cref="PeerEnvironment.RunCleanIfForced"/>), and
/// <see cref="CoreName"/> says which core it chose. <see cref="TryGetForced"/> loads a second, independent instance
/// with the forcing variables set, for the "AVX2-forced" column.
/// </remarks>
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
    private static readonly Lazy<(OpenBlasLibrary? Library, string Reason)> LoadedForced = new(LoadForced);

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, void> _setThreads;

    private OpenBlasLibrary(string path, nint handle)
    {
        Path = path;
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)
            NativeLibrary.GetExport(handle, "cblas_sgemm");
        _setThreads = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(handle, "openblas_set_num_threads");
        CoreName = ReadString(handle, "openblas_get_corename");
        Configuration = ReadString(handle, "openblas_get_config");
    }

    /// <summary>The core OpenBLAS runs on (<c>openblas_get_corename</c>), e.g. <c>Zen</c>, <c>Haswell</c>, <c>Cooperlake</c>.</summary>
    public string CoreName { get; }

    /// <summary>OpenBLAS's build description (<c>openblas_get_config</c>).</summary>
    public string Configuration { get; }

    /// <summary>The loaded library file.</summary>
    public string Path { get; }

    /// <summary>The library, or null with the reason it is absent.</summary>
    public static OpenBlasLibrary? TryGet(out string reason)
    {
        (OpenBlasLibrary? library, reason) = Loaded.Value;
        return library;
    }

    /// <summary>
    /// A second instance of the library with the forcing variables (<see cref="PeerEnvironment.ForcedValues"/>, or
    /// <c>OPENBLAS_CORETYPE=Haswell</c> and <c>OPENBLAS_L2_SIZE=512</c> when the environment forced nothing) in force:
    /// what tests and CI get on a machine that sets them. Null, with the reason, where OpenBLAS is absent.
    /// </summary>
    /// <remarks>
    /// The dynamic loader shares a library between loads of the same file, so the instance is loaded from a copy of
    /// the file under another name (its own code, data and thread pool); OpenBLAS reads the variables in its load-time
    /// constructor, so they are set in the C library's environment just around that load. Unlike removing them for the
    /// whole process (see <see cref="PeerEnvironment"/>) this is one setenv/unsetenv pair at start-up, before any
    /// measurement thread exists; it is only done when the forced column is asked for.
    /// </remarks>
    public static OpenBlasLibrary? TryGetForced(out string reason)
    {
        (OpenBlasLibrary? library, reason) = LoadedForced.Value;
        return library;
    }

    /// <summary>Sets OpenBLAS's thread count for the following calls.</summary>
    public void SetThreads(int threads) => _setThreads(threads);

    /// <summary>Row-major <c>C = alpha * op(A) * op(B) + beta * C</c> through <c>cblas_sgemm</c>.</summary>
    public void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float[] a, int lda,
        float[] b, int ldb, float beta, float[] c, int ldc)
    {
        fixed (float* aPointer = a)
        fixed (float* bPointer = b)
        fixed (float* cPointer = c)
        {
            _sgemm(RowMajor, transposeA ? Transpose : NoTranspose, transposeB ? Transpose : NoTranspose, m, n, k,
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

    private static (OpenBlasLibrary?, string) LoadForced()
    {
        OpenBlasLibrary? own = TryGet(out string reason);
        if (own is null) return (null, reason);
        var forced = PeerEnvironment.ForcedValues;
        if (forced.Count == 0) forced = [("OPENBLAS_CORETYPE", "Haswell"), ("OPENBLAS_L2_SIZE", "512")];
        string folder = Directory.CreateTempSubdirectory("mlnetjacobian-openblas-").FullName;
        string copy = System.IO.Path.Combine(folder, "libopenblas-forced.so");
        try
        {
            File.Copy(own.Path, copy);
            nint libc = NativeLibrary.Load("libc.so.6");
            var setenv = (delegate* unmanaged<byte*, byte*, int, int>)NativeLibrary.GetExport(libc, "setenv");
            var unsetenv = (delegate* unmanaged<byte*, int>)NativeLibrary.GetExport(libc, "unsetenv");
            foreach ((string name, string value) in forced)
            {
                fixed (byte* namePointer = Encoding.UTF8.GetBytes(name + "\0"))
                fixed (byte* valuePointer = Encoding.UTF8.GetBytes(value + "\0"))
                {
                    setenv(namePointer, valuePointer, 1);
                }
            }

            bool loaded = NativeLibrary.TryLoad(copy, out nint handle);
            foreach ((string name, _) in forced)
            {
                fixed (byte* namePointer = Encoding.UTF8.GetBytes(name + "\0")) unsetenv(namePointer);
            }

            if (!loaded) return (null, $"could not load a second OpenBLAS instance from {copy}");
            string label = string.Join(", ", forced.Select(pair => $"{pair.Name}={pair.Value}"));
            return (new OpenBlasLibrary($"{own.Path} (copy, {label})", handle), "");
        }
        finally
        {
            Directory.Delete(folder, recursive: true); // the mapping outlives the file
        }
    }

    private static string ReadString(nint handle, string export) =>
        NativeLibrary.TryGetExport(handle, export, out nint function)
            ? Marshal.PtrToStringUTF8((nint)((delegate* unmanaged<byte*>)function)()) ?? "?"
            : "?";
}
