using System.Diagnostics;
using System.Text.Json;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// The PyTorch peer (<c>peers/torch_train.py --serve</c>) as a child process that trains one configuration per
/// request, so its rounds interleave with the engine's in the same run. Absent python3 or torch: <see cref="TryStart"/>
/// returns null and says why.
/// </summary>
public sealed class TorchPeer : IDisposable
{
    private const string PythonPath = "/usr/bin/python3";
    private readonly Process _process;

    private TorchPeer(Process process, string version, string blas, string kernels)
    {
        this._process = process;
        Version = version;
        Blas = blas;
        Kernels = kernels;
    }

    /// <summary>The convolution kernels the peer's autograd picks (mkldnn/oneDNN or not), from its own report.</summary>
    public string Kernels { get; }

    /// <summary>What the peer's BLAS is: OpenBLAS's core and torch's build configuration (peers/peer_blas.py).</summary>
    public string Blas { get; }

    /// <summary>The peer's name and version, e.g. <c>pytorch 1.13.1</c>.</summary>
    public string Version { get; }

    /// <summary>The largest resident set of the peer process so far, in MiB (its own report).</summary>
    public double PeakResidentMegabytes { get; private set; }

    /// <summary>Starts the peer, or returns null with the reason.</summary>
    /// <param name="dataArguments">The peer's data arguments: <c>--mnist DIR</c>, or <c>--rows FILE</c> (a file
    /// <see cref="TaxiFares.WriteForPeer"/> wrote: regression rows, squared error).</param>
    /// <param name="reason">Why the peer is unavailable, when it is.</param>
    public static TorchPeer? TryStart(IReadOnlyList<string> dataArguments, out string reason)
    {
        string? script = FindScript();
        if (script is null)
        {
            reason = "peers/torch_train.py not found above " + AppContext.BaseDirectory;
            return null;
        }

        if (!File.Exists(PythonPath))
        {
            reason = $"{PythonPath} is absent (apt-get install -y python3-torch)";
            return null;
        }

        var start = new ProcessStartInfo(PythonPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Its own best BLAS kernels (no OPENBLAS_CORETYPE), and OpenMP threads that wait passively.
        Peers.PeerEnvironment.ConfigurePeer(start);
        start.ArgumentList.Add(script);
        foreach (string argument in dataArguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--serve");
        var process = Process.Start(start)!;
        string? line = process.StandardOutput.ReadLine();
        if (line is null)
        {
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            string lastLine = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "no output";
            reason = $"the peer did not start ({lastLine.Trim()}); is python3-torch installed?";
            return null;
        }

        using JsonDocument ready = JsonDocument.Parse(line);
        reason = "";
        string blas = ready.RootElement.TryGetProperty("blas", out JsonElement blasElement)
            ? Peers.PeerEnvironment.DescribePeerBlas(blasElement)
            : "unknown (the peer did not report it)";
        string kernels = ready.RootElement.TryGetProperty("kernels", out JsonElement kernelsElement)
            ? $"torch.backends.mkldnn.is_available() = {kernelsElement.GetProperty("mkldnn_available")}, LeNet's first convolution (input requiring its gradient) runs on {kernelsElement.GetProperty("conv_backend").GetString()}"
            : "unknown (the peer did not report it)";
        return new TorchPeer(process, ready.RootElement.GetProperty("peer").GetString() ?? "pytorch", blas, kernels);
    }

    /// <summary>Trains one configuration for about <paramref name="seconds"/> and returns its samples per second.</summary>
    /// <param name="trainingCase">The configuration.</param>
    /// <param name="threads">torch.set_num_threads.</param>
    /// <param name="seconds">Timed seconds.</param>
    /// <param name="warmupSteps">Untimed steps before timing.</param>
    public double Run(TrainingCase trainingCase, int threads, double seconds, int warmupSteps)
    {
        string request = JsonSerializer.Serialize(new
        {
            hidden = trainingCase.Hidden,
            layers = trainingCase.Layers is null ? null : "lenet",
            batch = trainingCase.BatchSize,
            mode = trainingCase.PeerMode,
            threads,
            seconds,
            warmup_steps = warmupSteps,
        });
        _process.StandardInput.WriteLine(request);
        _process.StandardInput.Flush();
        string line = _process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException("The PyTorch peer exited: " + _process.StandardError.ReadToEnd());
        using JsonDocument answer = JsonDocument.Parse(line);
        PeakResidentMegabytes = answer.RootElement.GetProperty("peak_rss_mb").GetDouble();
        return answer.RootElement.GetProperty("samples_per_second").GetDouble();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000)) _process.Kill();
        }

        _process.Dispose();
    }

    private static string? FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "peers", "torch_train.py");
            if (File.Exists(candidate)) return candidate;
            candidate = Path.Combine(directory.FullName, "tests", "MLNetJacobian.Benchmarks", "peers", "torch_train.py");
            if (File.Exists(candidate)) return candidate;
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => Version;
}
