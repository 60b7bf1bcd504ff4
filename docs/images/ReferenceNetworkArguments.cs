// Linked into the figure generators that read the reference MNIST networks (docs/images/analysis-mnist/generator and
// docs/images/robustness-mnist/generator): their command line and the check that the networks are there.
using System.Globalization;

/// <summary>
/// The command line of a figure generator that reads the reference networks:
/// <c>--models DIR</c> (required: the folder <c>mnist-reference --output DIR</c> wrote), <c>--output DIR</c> (default: the
/// generator's docs/images folder), <c>--mnist DIR</c> (default: <c>$MLNETJACOBIAN_SHARED_DATA/mnist</c>, else
/// <c>/work/shared/data/mnist</c>) and, where accepted, <c>--network-examples N</c> (default: every test image).
/// </summary>
/// <param name="ModelsFolder">The folder holding <c>mnist-784-200-200-10-relu-{tag}.f32</c>.</param>
/// <param name="OutputFolder">Where the figures and tables are written.</param>
/// <param name="MnistFolder">The MNIST IDX files.</param>
/// <param name="NetworkExamples">The test images the networks are evaluated on, or null for all.</param>
internal sealed record ReferenceNetworkArguments(string ModelsFolder, string OutputFolder, string MnistFolder, int? NetworkExamples)
{
    /// <summary>How to write the networks, for the error messages.</summary>
    public const string BenchmarkCommand = "dotnet run -c Release --project tests/MLNetJacobian.Benchmarks -- mnist-reference --output";

    /// <summary>
    /// Parses <paramref name="args"/> and checks that the models folder holds the network of every tag; returns null
    /// after writing a one-line error to standard error.
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <param name="generator">The generator's project folder, for the usage line (e.g. <c>docs/images/robustness-mnist/generator</c>).</param>
    /// <param name="tags">The networks read: <c>lambda0</c>, <c>lambda0.1</c>, ...</param>
    /// <param name="acceptsNetworkExamples">Whether <c>--network-examples</c> is an option of this generator.</param>
    public static ReferenceNetworkArguments? Parse(string[] args, string generator, IReadOnlyList<string> tags, bool acceptsNetworkExamples)
    {
        string usage = $"usage: dotnet run -c Release --project {generator} -- --models DIR [--output DIR] [--mnist DIR]" +
            (acceptsNetworkExamples ? " [--network-examples N]" : "");
        string? models = null, mnist = null, output = null;
        int? examples = null;
        for (int i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length) return Fail($"Option '{args[i]}' needs a value; {usage}");
            string value = args[i + 1];
            switch (args[i])
            {
                case "--models": models = value; break;
                case "--output": output = value; break;
                case "--mnist": mnist = value; break;
                case "--network-examples" when acceptsNetworkExamples:
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1)
                    {
                        return Fail($"--network-examples must be a positive whole number, got '{value}'.");
                    }

                    examples = count;
                    break;
                default: return Fail($"Unknown option '{args[i]}'; {usage}");
            }
        }

        if (models is null) return Fail($"The models folder is required (--models DIR, written by '{BenchmarkCommand} DIR'); {usage}");
        string modelsFull = Path.GetFullPath(models);
        if (!Directory.Exists(modelsFull)) return Fail($"Models folder '{modelsFull}' does not exist; write it with '{BenchmarkCommand} {models}'.");
        foreach (string tag in tags)
        {
            string file = NetworkFile(modelsFull, tag);
            if (!File.Exists(file)) return Fail($"Models folder '{modelsFull}' lacks '{Path.GetFileName(file)}'; write it with '{BenchmarkCommand} {models}'.");
        }

        string? shared = Environment.GetEnvironmentVariable("MLNETJACOBIAN_SHARED_DATA");
        mnist ??= string.IsNullOrEmpty(shared) ? "/work/shared/data/mnist" : Path.Combine(shared, "mnist");
        if (!Directory.Exists(mnist)) return Fail($"MNIST folder '{Path.GetFullPath(mnist)}' does not exist; give it with --mnist DIR.");
        return new ReferenceNetworkArguments(modelsFull, output ?? Path.Combine(AppContext.BaseDirectory, "../../../.."), mnist, examples);
    }

    /// <summary>The raw float32 parameter file of the network <paramref name="tag"/>.</summary>
    /// <param name="tag">The run's name in mnist-reference: <c>lambda0</c>, <c>lambda0.1</c> or <c>lambda0.1-p0.25</c>.</param>
    public string NetworkPath(string tag) => NetworkFile(ModelsFolder, tag);

    private static string NetworkFile(string folder, string tag) => Path.Combine(folder, $"mnist-784-200-200-10-relu-{tag}.f32");

    private static ReferenceNetworkArguments? Fail(string message)
    {
        Console.Error.WriteLine(message);
        return null;
    }
}
