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
    private GemmContender _contender = null!;

    /// <summary>The shape's label (parameters are labels: the shape and contender types are internal).</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = GemmShape.TrainingShapes[0].Label;

    /// <summary>The implementation and thread count, by label.</summary>
    [ParamsSource(nameof(Contenders))]
    public string Contender { get; set; } = "managed 1T";

    /// <summary>Every training shape.</summary>
    public static IEnumerable<string> Shapes => GemmShape.TrainingShapes.Select(shape => shape.Label);

    /// <summary>Managed 1T and 2T, then OpenBLAS 1T and 2T when the library is installed (a message otherwise).</summary>
    public static IEnumerable<string> Contenders() => Available().Select(contender => contender.Label);

    private static IEnumerable<GemmContender> Available()
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
        _workspace = new GemmWorkspace(GemmShape.Named(Shape));
        _contender = Available().First(candidate => candidate.Label == Contender);
        _contender.Prepare();
    }

    /// <summary>One product <c>C = op(A) op(B)</c>.</summary>
    [Benchmark]
    public void Multiply() => _contender.Run(_workspace);
}
