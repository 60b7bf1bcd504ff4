using System.Diagnostics;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Robustness;
using MLNetJacobian.Models;

namespace MLNetJacobian.Benchmarks.Robustness;

/// <summary><c>robustness-probe</c>: times one batched loss-gradient pass of the PGD benchmark's network.</summary>
internal static class GradientProbe
{
    public static void Run()
    {
        var architecture = new NetworkArchitecture(784, [200, 200], 10, Activation.Relu);
        var network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, new Random(1));
        var random = new Random(3);
        float[] x = Enumerable.Range(0, 256 * 784).Select(_ => random.NextSingle()).ToArray();
        int[] y = Enumerable.Range(0, 256).Select(i => i % 10).ToArray();
        var logits = new float[256 * 10];
        var loss = new float[256];
        var gradient = new float[256 * 784];
        foreach (IGemmProvider gemm in new IGemmProvider[] { new ManagedGemmProvider(1), new ManagedGemmProvider(2) })
        {
            var model = new NetworkModel<float>(network, gemm: gemm, maxBatchSize: 256);
            var seed = new CrossEntropySeed(ILogitLoss.CrossEntropy, y, loss);
            for (int k = 0; k < 20; k++) model.ComputeInputGradient(x, 256, seed, logits, gradient);
            var watch = Stopwatch.StartNew();
            const int calls = 200;
            for (int k = 0; k < calls; k++) model.ComputeInputGradient(x, 256, seed, logits, gradient);
            double seconds = watch.Elapsed.TotalSeconds / calls;
            double flops = 2.0 * 2 * 256 * (784 * 200 + 200 * 200 + 200 * 10);
            Console.WriteLine($"{gemm.Name}: {seconds * 1e3:0.00} ms per 256-row gradient, {flops / seconds / 1e9:0.0} GFLOP/s");
            watch.Restart();
            for (int k = 0; k < calls; k++) model.ComputeOutputs(x, 256, logits);
            seconds = watch.Elapsed.TotalSeconds / calls;
            Console.WriteLine($"{gemm.Name}: {seconds * 1e3:0.00} ms per 256-row forward, {flops / 2 / seconds / 1e9:0.0} GFLOP/s");
        }
    }

    /// <summary>The cross-entropy's gradient in the logits, as the attacks seed the backward pass.</summary>
    private sealed class CrossEntropySeed(ILogitLoss loss, int[] labels, float[] lossValues) : IOutputGradient
    {
        public void Compute(int firstRow, int rows, ReadOnlySpan<float> outputs, Span<float> outputGradient) =>
            loss.Evaluate(outputs, labels.AsSpan(firstRow, rows), rows, outputs.Length / rows, lossValues.AsSpan(firstRow, rows), outputGradient);
    }
}
