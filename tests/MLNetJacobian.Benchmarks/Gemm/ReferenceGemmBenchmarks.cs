using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MLNetJacobian.Compute;

namespace MLNetJacobian.Benchmarks.Gemm;

/// <summary>The scalar reference GEMM, on the two smallest training shapes only (it is slow), few iterations.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ReferenceGemmBenchmarks
{
    private GemmWorkspace _workspace = null!;
    private readonly ReferenceGemmProvider _reference = new();

    /// <summary>The shape.</summary>
    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.TrainingShapes[1];

    /// <summary>128x256 * 256x256 and 128x256 * 256x10.</summary>
    public static IEnumerable<GemmShape> Shapes => new[] { GemmShape.TrainingShapes[1], GemmShape.TrainingShapes[5] };

    /// <summary>Allocates the buffers.</summary>
    [GlobalSetup]
    public void Setup() => _workspace = new GemmWorkspace(Shape);

    /// <summary>One product with the reference.</summary>
    [Benchmark]
    public void Multiply() => _workspace.Multiply(_reference);
}
