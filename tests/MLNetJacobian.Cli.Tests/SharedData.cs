namespace MLNetJacobian.Cli.Tests;

/// <summary>
/// The shared data folder (MNIST): <c>MLNETJACOBIAN_SHARED_DATA</c>, else <c>../shared/data</c> beside the
/// repository. A missing folder fails the test loudly; it never skips.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        string? configured = Environment.GetEnvironmentVariable("MLNETJACOBIAN_SHARED_DATA");
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? configured : throw new DirectoryNotFoundException($"MLNETJACOBIAN_SHARED_DATA is '{configured}', which does not exist.");
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (!File.Exists(Path.Combine(folder.FullName, "MLNetJacobian.sln"))) continue;
            string candidate = Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "data"));
            return Directory.Exists(candidate)
                ? candidate
                : throw new DirectoryNotFoundException($"Shared data not found at '{candidate}'; set MLNETJACOBIAN_SHARED_DATA to the folder holding mnist/.");
        }

        throw new DirectoryNotFoundException($"No MLNetJacobian.sln above '{AppContext.BaseDirectory}'; set MLNETJACOBIAN_SHARED_DATA.");
    });

    /// <summary>The folder of the MNIST IDX files.</summary>
    public static string Mnist => Path.Combine(Root.Value, "mnist");
}
