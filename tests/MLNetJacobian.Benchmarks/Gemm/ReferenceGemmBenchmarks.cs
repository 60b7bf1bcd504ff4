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

    /// <summary>The shape's label.</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = GemmShape.TrainingShapes[1].Label;

    /// <summary>128x256 * 256x256 and 128x256 * 256x10.</summary>
    public static IEnumerable<string> Shapes => new[] { GemmShape.TrainingShapes[1].Label, GemmShape.TrainingShapes[5].Label };

    /// <summary>Allocates the buffers.</summary>
    [GlobalSetup]
    public void Setup() => _workspace = new GemmWorkspace(GemmShape.Named(Shape));

    /// <summary>One product with the reference.</summary>
    [Benchmark]
    public void Multiply() => _workspace.Multiply(_reference);
}
