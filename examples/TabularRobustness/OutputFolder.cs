using System.Text;

namespace TabularRobustness;

/// <summary>
/// The folder results and figures go to. A folder that exists and is not empty is refused unless the user said
/// <c>--force</c>; every file is written to a temporary name beside its target and then moved into place, so a reader never
/// sees half a file and an interrupted run leaves the earlier file whole.
/// </summary>
public sealed class OutputFolder
{
    private readonly bool _replace;

    private OutputFolder(string fullPath, bool replace)
    {
        FullPath = fullPath;
        _replace = replace;
    }

    /// <summary>The folder's full path.</summary>
    public string FullPath { get; }

    /// <summary>Opens (and creates) <paramref name="path"/>, or returns null with <paramref name="error"/> saying why not.</summary>
    public static OutputFolder? Open(string path, bool force, out string? error)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            error = $"the output '{full}' is a file; name a folder with --output FOLDER.";
            return null;
        }

        if (!force && Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            error = $"the output folder '{full}' is not empty; name a new folder with --output FOLDER, or pass --force to replace its files of the same names.";
            return null;
        }

        Directory.CreateDirectory(full);
        error = null;
        return new OutputFolder(full, force);
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="name"/> in the folder.</summary>
    public string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/> in the folder, atomically.</summary>
    /// <exception cref="IOException">The file exists and the folder was not opened with --force.</exception>
    public string Write(string name, byte[] bytes)
    {
        string target = Path.Combine(FullPath, name);
        if (!_replace && File.Exists(target)) throw new IOException($"'{target}' already exists; it is not replaced without --force.");
        string temporary = Path.Combine(FullPath, $".{name}.{Environment.ProcessId}.tmp");
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, target, overwrite: _replace);
        return target;
    }
}
