using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace MLNetJacobian.Benchmarks.Peers;

/// <summary>
/// The environment the yardsticks (OpenBLAS in this process, the PyTorch peers in child processes) run in: on their
/// own best kernels, whatever the machine's environment forces on tests and CI.
/// </summary>
/// <remarks>
/// <para>
/// A machine may set <c>OPENBLAS_CORETYPE</c> (e.g. <c>Haswell</c>) and <c>OPENBLAS_L2_SIZE</c> for the sake of older
/// OpenBLAS builds; they pin OpenBLAS to narrower kernels than the processor has. Tests and CI keep them. The benchmarks
/// remove them for the yardstick only, so no figure compares this project with a handicapped peer:
/// </para>
/// <list type="bullet">
/// <item>Child processes (the PyTorch peers): <see cref="ConfigurePeer"/> removes both from the child's environment.
/// Sound: the child's C library never sees them, and OpenBLAS reads them once, in its load-time constructor.</item>
/// <item>OpenBLAS in this process: the variables must be gone before the library is loaded. .NET cannot remove them
/// from its own native environment safely (<c>Environment.SetEnvironmentVariable</c> changes only the managed copy on
/// Unix, and libc's <c>unsetenv</c> races with any runtime thread calling <c>getenv</c>), so
/// <see cref="RunCleanIfForced"/> re-executes the benchmark as a child whose environment never held them, and the
/// parent only waits and forwards the exit code. The engine under test does not read them, so this changes nothing
/// for it. The values that were forced travel to the child in <see cref="ForcedMarker"/>, for the optional
/// "AVX2-forced" column (<see cref="Gemm.OpenBlasLibrary.TryGetForced"/>).</item>
/// </list>
/// <para>Benchmarks only; nothing here runs in tests or CI.</para>
/// </remarks>
internal static class PeerEnvironment
{
    /// <summary>The variables that force OpenBLAS's core and cache size.</summary>
    public static readonly string[] ForcingVariables = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"];

    /// <summary>Set in the re-executed child: what the parent's environment forced, as <c>NAME=VALUE;NAME=VALUE</c>.</summary>
    private const string ForcedMarker = "MLNETJACOBIAN_BENCHMARK_FORCED_OPENBLAS";

    /// <summary>Where Debian's BLAS alternative lives (the library Debian's PyTorch links against).</summary>
    private static readonly string[] SystemBlasLinks =
    [
        "/usr/lib/x86_64-linux-gnu/libblas.so.3",
        "/usr/lib/aarch64-linux-gnu/libblas.so.3",
    ];

    /// <summary>
    /// What the original environment forced (name and value), from before the re-execution or, if none happened,
    /// from this process's own environment; empty when nothing was forced.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> ForcedValues
    {
        get
        {
            string? marker = Environment.GetEnvironmentVariable(ForcedMarker);
            if (marker is not null)
            {
                return marker.Split(';', StringSplitOptions.RemoveEmptyEntries)
                    .Select(pair => pair.Split('=', 2))
                    .Select(parts => (parts[0], parts.Length > 1 ? parts[1] : ""))
                    .ToArray();
            }

            return CurrentlyForced();
        }
    }

    /// <summary>
    /// When this process's environment sets a forcing variable, runs the same command in a child process without them
    /// (stdin, stdout and stderr shared) and returns the child's exit code; returns null when there is nothing to
    /// remove, and the caller goes on in this process.
    /// </summary>
    /// <param name="args">The command line to pass on.</param>
    public static int? RunCleanIfForced(string[] args)
    {
        var forced = CurrentlyForced();
        if (forced.Count == 0) return null;
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable is unknown.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            // Started as `dotnet MLNetJacobian.Benchmarks.dll ...`: the host needs the assembly again.
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (string argument in args) start.ArgumentList.Add(argument);
        foreach ((string name, _) in forced) start.Environment.Remove(name);
        start.Environment[ForcedMarker] = string.Join(';', forced.Select(pair => $"{pair.Name}={pair.Value}"));
        Console.WriteLine("Yardsticks on their own kernels: re-running without " +
            string.Join(", ", forced.Select(pair => $"{pair.Name}={pair.Value}")) + " (tests and CI keep them).");
        using Process child = Process.Start(start)!;
        child.WaitForExit();
        return child.ExitCode;
    }

    /// <summary>
    /// Prepares a peer's child process: the forcing variables removed, and OpenMP threads that wait passively unless
    /// the user chose otherwise.
    /// </summary>
    /// <remarks>
    /// With libgomp's default waiting (spin, then sleep) PyTorch's two-thread step with the penalty ran at 4.0k
    /// samples/s here instead of 16.6k, and after each turn its spinning threads took CPU from whoever ran next (0.1
    /// CPU-seconds in the following 2 s).
    /// </remarks>
    /// <param name="start">The child's start information (UseShellExecute false).</param>
    public static void ConfigurePeer(ProcessStartInfo start)
    {
        foreach (string name in ForcingVariables) start.Environment.Remove(name);
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null) start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
    }

    /// <summary>
    /// One line on the system BLAS alternative (what Debian's PyTorch runs on): the library it resolves to, and a
    /// warning when that is not OpenBLAS (the reference BLAS makes every PyTorch figure meaningless).
    /// </summary>
    public static string DescribeSystemBlas()
    {
        foreach (string link in SystemBlasLinks)
        {
            if (!File.Exists(link)) continue;
            string target = new FileInfo(link).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? link;
            bool openBlas = target.Contains("openblas", StringComparison.OrdinalIgnoreCase);
            return $"System BLAS (libblas.so.3, PyTorch's): {target}" + (openBlas
                ? (target.Contains("pthread", StringComparison.Ordinal) ? " (libopenblas0-pthread)" : " (OpenBLAS)")
                : " -- NOT OpenBLAS: PyTorch's figures would be the reference BLAS's (apt-get install -y libopenblas0-pthread)");
        }

        return "System BLAS: no libblas.so.3 found (PyTorch cannot run; apt-get install -y libopenblas0-pthread python3-torch)";
    }

    /// <summary>One line from a peer's <c>blas</c> report (peers/peer_blas.py): OpenBLAS's core, torch's BLAS, any forcing left.</summary>
    /// <param name="blas">The peer's <c>blas</c> JSON object.</param>
    public static string DescribePeerBlas(JsonElement blas)
    {
        string core = blas.TryGetProperty("openblas_core", out JsonElement coreElement) && coreElement.ValueKind == JsonValueKind.String
            ? coreElement.GetString()!
            : "not OpenBLAS";
        string libraries = blas.TryGetProperty("blas_libraries", out JsonElement paths)
            ? string.Join(", ", paths.EnumerateArray().Select(path => path.GetString()))
            : "?";
        string config = blas.TryGetProperty("torch_blas", out JsonElement torchBlas) ? torchBlas.GetString() ?? "" : "";
        string forced = blas.TryGetProperty("forcing_variables", out JsonElement variables) && variables.EnumerateObject().Any()
            ? "; STILL FORCED: " + string.Join(", ", variables.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"))
            : "";
        return $"OpenBLAS core {core} ({libraries}); torch.__config__: {config}{forced}";
    }

    private static List<(string Name, string Value)> CurrentlyForced() =>
        ForcingVariables
            .Select(name => (Name: name, Value: Environment.GetEnvironmentVariable(name)))
            .Where(pair => pair.Value is not null)
            .Select(pair => (pair.Name, pair.Value!))
            .ToList();
}
