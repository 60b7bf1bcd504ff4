using System.Diagnostics;
using System.Globalization;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The <c>conv-table</c> command: the training step of the paper's LeNet-5 (<see cref="LeNetMnist.LeNetLayers"/>, batch
/// 100) plain and with the Jacobian penalty (one projection, double backward), the engine at 1 and 2 threads against
/// the PyTorch peer doing the same double backward through autograd, in interleaved rounds (the <c>train-table</c>
/// machinery and table), then where the engine's time goes: every pass of every layer timed on its own.
/// </summary>
public static class ConvTable
{
    /// <summary>The target ratio of engine to PyTorch-best throughput with the penalty (issue 12).</summary>
    public const double SpeedTarget = 1.5;

    /// <summary>The target ratio of penalised to plain step time (issue 12).</summary>
    public const double StepRatioTarget = 2.6;

    private const int Batch = 100;

    /// <summary>Runs the measurement and prints the tables.</summary>
    /// <param name="arguments">The options (<c>--seconds</c>, <c>--rounds</c>, <c>--no-peer</c>, <c>--mnist</c>).</param>
    public static void Run(BenchmarkArguments arguments)
    {
        Console.WriteLine($"conv-table: LeNet-5 on MNIST from {arguments.MnistFolder}, batch {Batch}, {arguments.Rounds} interleaved rounds, " +
            $"~{arguments.Seconds:F1} s timed per configuration; {Environment.ProcessorCount} processors, load average {TrainTable.LoadAverage()}.");
        MnistSplit training = MnistFiles.ReadTraining(arguments.MnistFolder);
        TrainingCase[] cases =
        [
            new([], Batch, PenaltyMode.Plain, Layers: LeNetMnist.LeNetLayers),
            new([], Batch, PenaltyMode.Projection, Layers: LeNetMnist.LeNetLayers),
        ];
        TorchPeer? peer = null;
        string peerReason = "skipped by --no-peer";
        if (!arguments.SkipPeer) peer = TorchPeer.TryStart(["--mnist", arguments.MnistFolder], out peerReason);
        try
        {
            if (peer is not null) Console.WriteLine($"  peer's convolution kernels: {peer.Kernels}");
            List<TrainTable.Turn> turns = TrainTable.RunRounds(cases, training.ToRows(), peer, peerReason, arguments, includeBands: false);
            TrainTableReport.Print(cases, turns, peer, [],
                $"LeNet-5 training throughput on MNIST, samples/s (median of the rounds): {LeNetMnist.LeNetLayers}, 10 logits;\n" +
                $"SGD lr 0.01 momentum 0.9 wd 5e-4, lambda {TrainingCase.JacobianWeight}, one random projection; dropout active (training mode) in both.",
                SpeedTarget, StepRatioTarget);
        }
        finally
        {
            peer?.Dispose();
        }

        Profile(training);
        CompareParameterGradients(arguments.Rounds);
    }

    /// <summary>
    /// The convolution's parameter gradient two ways, in alternating rounds on LeNet's two convolutions (batch 100 forward
    /// rows + 100 projection rows, one thread): the layer's own (dot products of contiguous lines when positions outnumber
    /// window rows, else a GEMM per row) and always a GEMM per row (<c>dW += dY_i X_col^T</c>, the code before);
    /// medians and the median of the paired ratios.
    /// </summary>
    private static void CompareParameterGradients(int rounds)
    {
        var gemm = new ManagedGemmProvider(1);
        var random = new Random(3);
        Console.WriteLine();
        Console.WriteLine("Convolution parameter gradient, one thread, 200 rows (100 forward + 100 projection), ms: the layer's (dot products when P > K, else GEMM) vs always a GEMM per row (before).");
        foreach ((ImageShape input, int outputs, int pad) in new[] { (new ImageShape(1, 28, 28), 6, 2), (new ImageShape(6, 14, 14), 16, 0) })
        {
            var layer = new Conv2DLayer<float>(input, outputs, 5, 5, padHeight: pad, padWidth: pad);
            var windows = new ImageWindows(input, 5, 5, 1, 1, pad, pad);
            var context = new LayerContext<float>(gemm, layer.ScratchLength);
            float[] inputs = Filled(200 * layer.InputWidth, random), outputGradients = Filled(200 * layer.OutputWidth, random);
            float[] now = new float[layer.ParameterCount], before = new float[layer.WeightCount];
            int patch = windows.PatchSize, positions = windows.OutputPlaneSize;
            void Gemm()
            {
                Span<float> columns = context.Scratch[..layer.ScratchLength];
                before.AsSpan().Clear();
                for (int i = 0; i < 200; i++)
                {
                    windows.ImageToColumns<float>(inputs.AsSpan(i * layer.InputWidth, layer.InputWidth), columns);
                    gemm.Gemm(MatrixTranspose.None, MatrixTranspose.Transpose, outputs, patch, positions, 1f,
                        outputGradients.AsSpan(i * layer.OutputWidth, layer.OutputWidth), positions, columns, positions, 1f, before, patch);
                }
            }

            void Dots() => layer.ComputeParameterGradient(context, inputs, outputGradients, 100, 100, now);
            var dots = new List<double>();
            var gemms = new List<double>();
            var ratios = new List<double>();
            for (int round = 0; round < Math.Max(rounds, 3) * 5; round++)
            {
                double a = Time(Dots, 0), b = Time(Gemm, 0);
                dots.Add(a);
                gemms.Add(b);
                ratios.Add(b / a);
            }

            double difference = 0;
            for (int k = 0; k < before.Length; k++) difference = Math.Max(difference, Math.Abs(before[k] - now[k]) / (1 + Math.Abs(before[k])));
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "  conv {0} -> {1} (K {2}, P {3}): layer {4:F2} ms, GEMM {5:F2} ms, GEMM/layer {6:F2}x (median of {7} paired rounds); largest relative difference {8:G2}",
                input, outputs, patch, positions, Median(dots), Median(gemms), Median(ratios), ratios.Count, difference));
        }
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }

    /// <summary>Only the profile and the parameter-gradient comparison (<c>conv-profile</c>).</summary>
    /// <param name="arguments">The options (<c>--rounds</c>, <c>--mnist</c>).</param>
    public static void RunProfile(BenchmarkArguments arguments)
    {
        Console.WriteLine($"conv-profile: load average {TrainTable.LoadAverage()}.");
        Profile(MnistFiles.ReadTraining(arguments.MnistFolder));
        CompareParameterGradients(arguments.Rounds);
    }

    /// <summary>
    /// Times every pass of every layer of LeNet on one thread, batch 100 (the VJP, its reverse and the penalty's share of
    /// the parameter gradient on one projection row per example), and prints milliseconds per batch.
    /// </summary>
    private static void Profile(MnistSplit training)
    {
        var architecture = new NetworkArchitecture(new ImageShape(1, 28, 28), NetworkLayers.Parse(LeNetMnist.LeNetLayers), MnistSplit.ClassCount);
        var network = FeedForwardNetwork<float>.Create(architecture, WeightInitializer.XavierUniform, new Random(1));
        IReadOnlyList<ILayer<float>> layers = network.Layers;
        var context = new LayerContext<float>(new ManagedGemmProvider(1), layers.Max(layer => layer.ScratchLength));
        var random = new Random(2);
        var activations = new float[layers.Count + 1][];
        activations[0] = training.Features.AsSpan(0, Batch * MnistSplit.FeatureCount).ToArray();
        var caches = new float[layers.Count][];
        var rows = new List<(string Layer, double[] Milliseconds)>();
        int offset = 0;
        const double budget = 0.3;
        for (int l = 0; l < layers.Count; l++)
        {
            ILayer<float> layer = layers[l];
            float[] parameters = network.Parameters.Slice(offset, layer.ParameterCount).ToArray();
            offset += layer.ParameterCount;
            activations[l + 1] = new float[Batch * layer.OutputWidth];
            caches[l] = new float[Batch * layer.CacheWidth];
            float[] input = activations[l], output = activations[l + 1], cache = caches[l];
            float[] outputVector = Filled(2 * Batch * layer.OutputWidth, random), inputVector = new float[2 * Batch * layer.InputWidth];
            float[] inputAdjoint = Filled(Batch * layer.InputWidth, random), outputAdjoint = new float[Batch * layer.OutputWidth];
            float[] inputGradient = new float[Batch * layer.InputWidth], parameterGradient = new float[layer.ParameterCount];
            float[] gradientInputs = [.. input, .. inputAdjoint];
            layer.Forward(context, parameters, input, output, cache, Batch, random);
            double[] times =
            [
                Time(() => layer.Forward(context, parameters, input, output, cache, Batch, random), budget),
                Time(() => layer.Backward(context, parameters, cache, outputVector.AsSpan(0, Batch * layer.OutputWidth), inputGradient, Batch), budget),
                Time(() => layer.Vjp(context, parameters, cache, outputVector.AsSpan(0, Batch * layer.OutputWidth), inputVector, Batch, 1), budget),
                Time(() => layer.ReverseVjp(context, parameters, cache, outputVector.AsSpan(0, Batch * layer.OutputWidth), inputAdjoint, outputAdjoint,
                    inputGradient, Batch, 1), budget),
                layer.ParameterCount == 0 ? 0 : Time(() => layer.ComputeParameterGradient(context, gradientInputs, outputVector, Batch, Batch, parameterGradient), budget),
            ];
            rows.Add((Describe(architecture, l, layer), times));
        }

        Console.WriteLine();
        Console.WriteLine($"Where the engine's LeNet step goes: each pass of each layer alone, one thread, batch {Batch}, ms per batch (median of repeats;");
        Console.WriteLine("backward: dX from dY; VJP and reverse: one projection row per example; parameter gradient: forward rows + projection rows).");
        string header = string.Format(CultureInfo.InvariantCulture, "{0,-24} {1,9} {2,9} {3,9} {4,9} {5,11} {6,9}", "layer", "forward", "backward", "VJP", "reverse", "param grad", "sum");
        Console.WriteLine(header);
        Console.WriteLine(new string('-', header.Length));
        var totals = new double[5];
        foreach ((string name, double[] ms) in rows)
        {
            for (int k = 0; k < 5; k++) totals[k] += ms[k];
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-24} {1,9:F3} {2,9:F3} {3,9:F3} {4,9:F3} {5,11:F3} {6,9:F3}", name, ms[0], ms[1], ms[2], ms[3], ms[4], ms.Sum()));
        }

        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-24} {1,9:F3} {2,9:F3} {3,9:F3} {4,9:F3} {5,11:F3} {6,9:F3}", "total", totals[0], totals[1], totals[2], totals[3], totals[4], totals.Sum()));
        Console.WriteLine($"(load average {TrainTable.LoadAverage()}; a plain step is about forward + backward + param grad on forward rows, a penalised step adds VJP + reverse + the projection rows' share.)");
    }

    private static string Describe(NetworkArchitecture architecture, int index, ILayer<float> layer)
    {
        string kind = layer.GetType().Name.Split('`')[0].Replace("Layer", "", StringComparison.Ordinal);
        return index < architecture.Layers.Count ? $"{index}: {kind} {layer.InputWidth}->{layer.OutputWidth}" : $"{index}: {kind} (logits)";
    }

    private static float[] Filled(int length, Random random)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() - 0.5);
        return values;
    }

    private static double Time(Action pass, double seconds)
    {
        pass();
        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || samples.Count < 11)
        {
            long start = Stopwatch.GetTimestamp();
            pass();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }
}
