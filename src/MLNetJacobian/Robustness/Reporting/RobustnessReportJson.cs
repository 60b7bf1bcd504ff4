using System.Text.Json;
using MLNetJacobian.IO;

namespace MLNetJacobian.Robustness;

/// <summary>The JSON form of a report (camelCase names like every JSON file of the library and the tool, indented, every figure and setting).</summary>
internal static class RobustnessReportJson
{
    public static void Write(RobustnessReport report, Stream stream)
    {
        var document = new
        {
            report.Model,
            report.ExampleCount,
            report.FeatureCount,
            report.ClassCount,
            report.CleanAccuracy,
            report.CleanAuc,
            report.AccuracyConvention,
            report.Attacks,
            report.WorstCase,
            report.MinimalPerturbation,
            report.Warnings,
            report.SanityChecks,
            report.Notices,
            report.Configuration,
            ElapsedSeconds = report.Elapsed.TotalSeconds,
            report.Examples,
        };
        JsonSerializer.Serialize(stream, document, ReportJson.Options);
    }

    public static void Write(RegressionRobustnessReport report, Stream stream)
    {
        var document = new
        {
            report.Model,
            Task = "regression",
            report.ExampleCount,
            report.FeatureCount,
            report.CleanRmse,
            report.CleanMae,
            Attacks = report.Attacks.Select(a => new { a.Name, a.Norm, Kind = a.Kind.ToString(), Objective = a.Objective?.ToString(), a.Settings, a.Points }),
            report.Warnings,
            report.SanityChecks,
            report.Notices,
            report.Configuration,
            ElapsedSeconds = report.Elapsed.TotalSeconds,
        };
        JsonSerializer.Serialize(stream, document, ReportJson.Options);
    }
}
