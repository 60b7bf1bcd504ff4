using System.Globalization;

namespace MLNetJacobian.Cli.Output;

/// <summary>The demo's output folder: fresh by default, never someone's existing files without <c>--force</c>.</summary>
internal static class DemoFolder
{
    /// <summary>Creates the folder and returns its full path.</summary>
    /// <param name="requested">The <c>--output</c> value, or null for <c>./mlnet-jacobian-demo-&lt;timestamp&gt;</c>.</param>
    /// <param name="force">Whether a folder that holds files may be written into.</param>
    /// <param name="fresh">Whether the folder did not exist or was empty (so a failed run may remove it).</param>
    public static string Prepare(string? requested, bool force, out bool fresh)
    {
        string folder = Path.GetFullPath(requested ?? $"mlnet-jacobian-demo-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        if (File.Exists(folder)) throw CliException.InvalidArgument($"--output '{requested}' is a file; give a folder.");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !force)
        {
            throw new CliException(ExitCode.OutputExists, $"--output '{requested ?? folder}' exists and is not empty; pass --force or choose another folder.");
        }

        fresh = !Directory.Exists(folder) || !Directory.EnumerateFileSystemEntries(folder).Any();
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Removes a folder this run created (after a failure or Ctrl-C); never throws.</summary>
    public static void Remove(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Left in place: the error that stopped the demo is the one to report.
        }
    }
}
