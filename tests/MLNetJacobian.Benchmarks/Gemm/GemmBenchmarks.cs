using BenchmarkDotNet.Attributes;

namespace MLNetJacobian.Benchmarks.Gemm;

/// <summary>
/// BenchmarkDotNet: the managed kernel (1 and 2 threads) against OpenBLAS (1 and 2 threads, where installed)
/// on every training shape. Run with <c>--filter *GemmBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private GemmWorkspace _workspace = null!;

    /// <summary>The shape.</summary>
    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.TrainingShapes[0];

    /// <summary>The implementation and thread count.</summary>
    [ParamsSource(nameof(Contenders))]
    public GemmContender Contender { get; set; } = GemmContender.Managed(1);

    /// <summary>Every training shape.</summary>
    public static IEnumerable<GemmShape> Shapes => GemmShape.TrainingShapes;

    /// <summary>Managed 1T and 2T, then OpenBLAS 1T and 2T when the library is installed (a message otherwise).</summary>
    public static IEnumerable<GemmContender> Contenders()
    {
        yield return GemmContender.Managed(1);
        yield return GemmContender.Managed(2);
        foreach (int threads in new[] { 1, 2 })
        {
            if (GemmContender.OpenBlas(threads) is { } openBlas) yield return openBlas;
        }
    }

    /// <summary>Allocates the buffers and sets the contender's thread count.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _workspace = new GemmWorkspace(Shape);
        Contender.Prepare();
    }

    /// <summary>One product <c>C = op(A) op(B)</c>.</summary>
    [Benchmark]
    public void Multiply() => Contender.Run(_workspace);
}
