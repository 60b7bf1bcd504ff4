using MLNetJacobian.Compute;

namespace MLNetJacobian.Benchmarks.Gemm;

/// <summary>One GEMM implementation at one thread count, as measured in the benchmarks.</summary>
public sealed class GemmContender
{
    private readonly IGemmProvider? provider;
    private readonly OpenBlasLibrary? openBlas;
    private readonly int openBlasThreads;

    private GemmContender(string label, IGemmProvider? provider, OpenBlasLibrary? openBlas, int openBlasThreads)
    {
        Label = label;
        this.provider = provider;
        this.openBlas = openBlas;
        this.openBlasThreads = openBlasThreads;
    }

    /// <summary>How the contender is printed.</summary>
    public string Label { get; }

    /// <summary>Whether this is the slow scalar reference.</summary>
    public bool IsReference => provider is ReferenceGemmProvider;

    /// <summary>The scalar reference.</summary>
    public static GemmContender Reference() => new("reference", new ReferenceGemmProvider(), null, 0);

    /// <summary>This project's managed kernel at <paramref name="threads"/> threads.</summary>
    public static GemmContender Managed(int threads) => new($"managed {threads}T", new ManagedGemmProvider(threads), null, 0);

    /// <summary>OpenBLAS at <paramref name="threads"/> threads, or null (with a printed message) where it is absent.</summary>
    public static GemmContender? OpenBlas(int threads)
    {
        OpenBlasLibrary? library = OpenBlasLibrary.TryGet(out string reason);
        if (library is null)
        {
            Console.WriteLine(reason);
            return null;
        }

        return new GemmContender($"OpenBLAS {threads}T", null, library, threads);
    }

    /// <summary>Call before a batch of <see cref="Run"/>: sets the library's thread count.</summary>
    public void Prepare() => openBlas?.SetThreads(openBlasThreads);

    /// <summary>One product <c>C = op(A) op(B)</c>.</summary>
    public void Run(GemmWorkspace workspace)
    {
        if (provider is not null) workspace.Multiply(provider);
        else workspace.Multiply(openBlas!);
    }

    /// <inheritdoc />
    public override string ToString() => Label;
}
