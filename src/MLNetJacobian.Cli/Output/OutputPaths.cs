namespace MLNetJacobian.Cli.Output;

/// <summary>Checks on the set of files a command writes.</summary>
internal static class OutputPaths
{
    /// <summary>Fails when two options name the same file.</summary>
    /// <param name="paths">Each option and the path it names.</param>
    public static void EnsureDistinct(params (string Option, string Path)[] paths)
    {
        for (int i = 0; i < paths.Length; i++)
        {
            for (int j = i + 1; j < paths.Length; j++)
            {
                if (string.Equals(Path.GetFullPath(paths[i].Path), Path.GetFullPath(paths[j].Path), StringComparison.Ordinal))
                {
                    throw CliException.InvalidArgument($"{paths[i].Option} and {paths[j].Option} both name '{paths[i].Path}'; give different files.");
                }
            }
        }
    }
}
