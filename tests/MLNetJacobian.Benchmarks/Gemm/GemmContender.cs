using MLNetJacobian.Compute;

namespace MLNetJacobian.Benchmarks.Gemm;

/// <summary>One GEMM implementation at one thread count, as measured in the benchmarks.</summary>
internal sealed class GemmContender
{
    private readonly IGemmProvider? _provider;
    private readonly OpenBlasLibrary? _openBlas;
    private readonly int _openBlasThreads;

    private GemmContender(string label, IGemmProvider? provider, OpenBlasLibrary? openBlas, int openBlasThreads,
        bool isForced = false)
    {
        Label = label;
        IsForced = isForced;
        this._provider = provider;
        this._openBlas = openBlas;
        this._openBlasThreads = openBlasThreads;
    }

    /// <summary>How the contender is printed.</summary>
    public string Label { get; }

    /// <summary>Whether this is the slow scalar reference.</summary>
    public bool IsReference => _provider is ReferenceGemmProvider;

    /// <summary>The scalar reference.</summary>
    public static GemmContender Reference() => new("reference", new ReferenceGemmProvider(), null, 0);

    /// <summary>This project's managed kernel at <paramref name="threads"/> threads: the default kernel, or <paramref name="kernel"/>.</summary>
    public static GemmContender Managed(int threads, GemmKernel? kernel = null) => kernel is null
        ? new($"managed {threads}T", new ManagedGemmProvider(threads), null, 0)
        : new($"{kernel.Value.ToString().ToLowerInvariant()} {threads}T", new ManagedGemmProvider(threads, kernel.Value), null, 0);

    /// <summary>
    /// OpenBLAS at <paramref name="threads"/> threads on its own kernels or, with <paramref name="forced"/>, on the
    /// kernels the forcing variables select (<see cref="OpenBlasLibrary.TryGetForced"/>); null (with a printed message)
    /// where it is absent.
    /// </summary>
    public static GemmContender? OpenBlas(int threads, bool forced = false)
    {
        string reason;
        OpenBlasLibrary? library = forced ? OpenBlasLibrary.TryGetForced(out reason) : OpenBlasLibrary.TryGet(out reason);
        if (library is null)
        {
            Console.WriteLine(reason);
            return null;
        }

        return new GemmContender(forced ? $"OB-forced {threads}T" : $"OpenBLAS {threads}T", null, library, threads, forced);
    }

    /// <summary>Whether this is OpenBLAS on the forced (narrower) kernels.</summary>
    public bool IsForced { get; }

    /// <summary>The OpenBLAS instance, or null for a managed contender.</summary>
    public OpenBlasLibrary? Library => _openBlas;

    /// <summary>Call before a batch of <see cref="Run"/>: sets the library's thread count.</summary>
    public void Prepare() => _openBlas?.SetThreads(_openBlasThreads);

    /// <summary>One product <c>C = op(A) op(B)</c>.</summary>
    public void Run(GemmWorkspace workspace)
    {
        if (_provider is not null) workspace.Multiply(_provider);
        else workspace.Multiply(_openBlas!);
    }

    /// <inheritdoc />
    public override string ToString() => Label;
}
