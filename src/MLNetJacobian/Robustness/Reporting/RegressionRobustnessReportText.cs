using System.Globalization;
using System.Text;

namespace MLNetJacobian.Robustness;

/// <summary>The plain-text tables of a regression report, and the comparison of several models.</summary>
internal static class RegressionRobustnessReportText
{
    public static string Format(RegressionRobustnessReport report)
    {
        var text = new StringBuilder();
        RobustnessConfiguration config = report.Configuration;
        text.AppendLine(CultureInfo.InvariantCulture, $"Regression robustness of {report.Model}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{report.ExampleCount} examples, {report.FeatureCount} features; bounds [{config.LowerBound}, {config.UpperBound}]; seed {config.Seed} ({config.SeedSource}); {config.ThreadCount} threads; {report.Elapsed.TotalSeconds:0.0} s");
        text.AppendLine(CultureInfo.InvariantCulture, $"Perturbation space: {config.PerturbationSpace}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Clean RMSE {Number(report.CleanRmse)}, MAE {Number(report.CleanMae)}");
        text.AppendLine("Every example is perturbed; change = |f(x + d) - f(x)|; RMSE and MAE against the labels.");
        var rows = new List<List<string>> { new() { "attack", "objective", "strength", "RMSE", "MAE", "change mean", "median", "p95", "max", "queries/ex", "seconds" } };
        foreach (RegressionRobustnessReport.AttackCurve curve in report.Attacks)
        {
            foreach (RegressionRobustnessReport.AttackPoint point in curve.Points)
            {
                rows.Add([curve.Name, curve.Objective?.ToString() ?? "-", Number(point.Strength), Number(point.Rmse), Number(point.Mae), Number(point.Change.Mean),
                    Number(point.Change.Median), Number(point.Change.Percentile95), Number(point.Change.Maximum),
                    point.QueriesPerExample.ToString("0.#", CultureInfo.InvariantCulture), point.Seconds.ToString("0.00", CultureInfo.InvariantCulture)]);
            }
        }

        text.AppendLine();
        RobustnessReportText.AppendColumns(text, rows);
        RobustnessReportText.AppendNoticesAndChecks(text, report.Notices, report.SanityChecks);
        return text.ToString();
    }

    public static string Compare(IReadOnlyList<(string Name, RegressionRobustnessReport Report)> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0) throw new ArgumentException("No reports to compare.", nameof(reports));
        var text = new StringBuilder();
        text.AppendLine("Mean prediction change | RMSE, per model (\"-\": the attack did not run on that model):");
        var header = new List<string> { "attack", "objective", "strength" };
        header.AddRange(reports.Select(r => r.Name));
        var rows = new List<List<string>> { header };
        var keys = reports.SelectMany(r => r.Report.Attacks.SelectMany(c => c.Points.Select(p => (c.Name, c.Objective, p.Strength)))).Distinct().ToList();
        foreach (var (name, objective, strength) in keys)
        {
            var row = new List<string> { name, objective?.ToString() ?? "-", Number(strength) };
            foreach (var (_, report) in reports)
            {
                RegressionRobustnessReport.AttackPoint? point = report.Attacks.FirstOrDefault(c => c.Name == name && c.Objective == objective)?.Points.FirstOrDefault(p => p.Strength == strength);
                row.Add(point is null ? "-" : $"{Number(point.Change.Mean)} | {Number(point.Rmse)}");
            }

            rows.Add(row);
        }

        var clean = new List<string> { "clean", "-", "0" };
        clean.AddRange(reports.Select(r => $"0 | {Number(r.Report.CleanRmse)}"));
        rows.Insert(1, clean);
        RobustnessReportText.AppendColumns(text, rows);
        return text.ToString();
    }

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
