using MLNetJacobian.Analysis;

namespace MLNetJacobian.Cli.Output;

/// <summary>The files the analysis comparison writes into a folder.</summary>
internal static class ComparisonFiles
{
    /// <summary>Fails before any work when a file the analysis will write exists and <paramref name="force"/> is not set.</summary>
    /// <param name="folder">The output folder.</param>
    /// <param name="examples">The figure rows.</param>
    /// <param name="force">Whether existing files may be replaced.</param>
    public static void EnsureCanWrite(string folder, IEnumerable<int> examples, bool force)
    {
        if (File.Exists(folder)) throw CliException.InvalidArgument($"--output '{folder}' is a file; give a folder.");
        var names = new List<string> { ModelComparisonReport.TextFileName, ModelComparisonReport.JsonFileName };
        foreach (int example in examples)
        {
            names.Add($"cells-example{example}-random.png");
            names.Add($"cells-example{example}-singular.png");
        }

        foreach (string name in names) OutputFiles.EnsureCanWrite(Path.Combine(folder, name), force, "--output");
    }

    /// <summary>The full paths of the files the analysis writes for <paramref name="report"/>.</summary>
    public static IEnumerable<string> Written(string folder, ModelComparisonReport report) =>
        new[] { ModelComparisonReport.TextFileName, ModelComparisonReport.JsonFileName }.Concat(report.Figures.Select(f => f.FileName))
            .Select(n => Path.GetFullPath(Path.Combine(folder, n)));
}
