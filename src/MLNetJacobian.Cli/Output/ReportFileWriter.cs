using MLNetJacobian.Robustness;
using MLNetJacobian.Plotting;

namespace MLNetJacobian.Cli.Output;

/// <summary>Writes a robustness report's JSON and PNG, turning a file that appeared meanwhile into the right exit code.</summary>
internal static class ReportFileWriter
{
    /// <summary>Writes both files (atomically, through the report's own writers).</summary>
    public static void Save(RobustnessReport report, string jsonPath, string plotPath, bool force)
    {
        try
        {
            report.SaveJson(jsonPath, overwrite: force);
            report.SavePlot(plotPath, overwrite: force);
        }
        catch (IOException exception) when (!force)
        {
            throw new CliException(ExitCode.OutputExists, $"cannot write the robustness report: {exception.Message}", exception);
        }
    }
}
