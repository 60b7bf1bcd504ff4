namespace MLNetJacobian.Tests;

/// <summary>
/// Locates the project's shared data folder (<c>../shared/data</c> beside the repository root, as laid out for
/// developers and CI), or the folder named by the environment variable <c>MLNETJACOBIAN_SHARED_DATA</c>.
/// Tests that need it fail with a clear message when it is absent: they are never skipped silently.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string> Root = new(Locate);

    /// <summary>The data folder (containing <c>golden/</c>, <c>mnist/</c> and <c>digits/</c>).</summary>
    public static string Directory => Root.Value;

    /// <summary>The full path of a file under the data folder.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Directory, .. parts]);

    private static string Locate()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("MLNETJACOBIAN_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return System.IO.Directory.Exists(fromEnvironment)
                ? fromEnvironment
                : throw new DirectoryNotFoundException($"MLNETJACOBIAN_SHARED_DATA points to '{fromEnvironment}', which does not exist.");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLNetJacobian.sln")))
            {
                string candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                return System.IO.Directory.Exists(candidate)
                    ? candidate
                    : throw new DirectoryNotFoundException(
                        $"Shared test data not found at '{candidate}'. Set MLNETJACOBIAN_SHARED_DATA to the folder holding golden/ and mnist/.");
            }
        }

        throw new DirectoryNotFoundException(
            $"Could not find MLNetJacobian.sln above '{AppContext.BaseDirectory}'. Set MLNETJACOBIAN_SHARED_DATA to the shared data folder.");
    }
}
