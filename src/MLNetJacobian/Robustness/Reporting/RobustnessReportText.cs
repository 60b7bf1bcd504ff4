using System.Globalization;
using System.Text;
using static MLNetJacobian.Robustness.RobustnessReport;

namespace MLNetJacobian.Robustness;

/// <summary>The plain-text table of a report.</summary>
internal static class RobustnessReportText
{
    public static string Format(RobustnessReport report)
    {
        var text = new StringBuilder();
        RobustnessConfiguration config = report.Configuration;
        text.AppendLine(CultureInfo.InvariantCulture, $"Robustness of {report.Model}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{Counted(report.ExampleCount, "example")}, {Counted(report.FeatureCount, "feature")}, {Counted(report.ClassCount, "class", "classes")}; bounds [{config.LowerBound}, {config.UpperBound}]; seed {config.Seed} ({config.SeedSource}); {config.ThreadCount} threads; {report.Elapsed.TotalSeconds:0.0} s");
        string cleanAuc = report.CleanAuc is { } auc ? $"; clean AUC {auc.ToString("0.0000", CultureInfo.InvariantCulture)}" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"Clean accuracy: {Percent(report.CleanAccuracy)}{cleanAuc}");
        if (config.PerturbationSpace is { } space) text.AppendLine(CultureInfo.InvariantCulture, $"Perturbation space: {space}");
        text.AppendLine(report.AccuracyConvention);

        foreach (var group in report.Attacks.GroupBy(a => a.Norm))
        {
            text.AppendLine();
            text.AppendLine(group.Key is null ? "Robust accuracy under noise, by noise scale (sigma):" : $"Robust accuracy, {group.Key}, by epsilon:");
            WorstCaseCurve? worst = report.WorstCase.FirstOrDefault(w => w.Norm == group.Key);
            AppendTable(text, group.ToList(), worst, p => Percent(p.RobustAccuracy));
            if (report.CleanAuc is not null)
            {
                text.AppendLine(group.Key is null ? "AUC under noise, by sigma:" : $"AUC after the attack, {group.Key}, by epsilon:");
                AppendTable(text, group.ToList(), null, p => p.Auc is { } auc ? auc.ToString("0.000", CultureInfo.InvariantCulture) : "-");
            }
        }

        if (report.MinimalPerturbation is { } minimal)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Minimal perturbation ({minimal.Attack}, {minimal.BisectionSteps} bisection steps): median {Number(minimal.Median, "above the largest epsilon")}, " +
                $"mean of found {Number(minimal.MeanOfFound, "none")} ({minimal.FoundCount} of {minimal.SearchedCount} correctly classified examples flipped)");
        }

        AppendNoticesAndChecks(text, report.Notices, report.SanityChecks);
        return text.ToString();
    }

    private static void AppendTable(StringBuilder text, List<AttackCurve> curves, WorstCaseCurve? worst, Func<AttackPoint, string> cell)
    {
        double[] grid = curves.SelectMany(c => c.Points.Select(p => p.Strength)).Distinct().Order().ToArray();
        var header = new List<string> { "attack" };
        header.AddRange(grid.Select(g => g.ToString("0.###", CultureInfo.InvariantCulture)));
        header.AddRange(["seconds", "queries/ex", "gradients/ex"]);
        var rows = new List<List<string>> { header };
        foreach (AttackCurve curve in curves)
        {
            var row = new List<string> { curve.Name };
            row.AddRange(grid.Select(g => curve.Points.FirstOrDefault(p => p.Strength == g) is { } point ? cell(point) : "-"));
            row.Add(curve.Points.Sum(p => p.Seconds).ToString("0.00", CultureInfo.InvariantCulture));
            row.Add(curve.Points.Average(p => p.QueriesPerExample).ToString("0.#", CultureInfo.InvariantCulture));
            row.Add(curve.Points.Average(p => p.GradientsPerExample).ToString("0.#", CultureInfo.InvariantCulture));
            rows.Add(row);
        }

        if (worst is not null)
        {
            var row = new List<string> { "worst case (per example)" };
            row.AddRange(grid.Select(g => worst.Points.FirstOrDefault(p => p.Epsilon == g) is { } point ? Percent(point.RobustAccuracy) : "-"));
            row.AddRange(["", "", ""]);
            rows.Add(row);
        }

        AppendColumns(text, rows);
    }

    /// <summary>Writes the notices and the sanity checks (with their status) of a report.</summary>
    internal static void AppendNoticesAndChecks(StringBuilder text, IReadOnlyList<string> notices, IReadOnlyList<SanityCheckResult> checks)
    {
        if (notices.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Notices:");
            foreach (string notice in notices) text.AppendLine("  - " + notice);
        }

        if (checks.Count > 0)
        {
            int warnings = checks.Count(c => !c.Passed);
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Sanity checks ({Counted(warnings, "warning")}):");
            foreach (SanityCheckResult check in checks)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  [{check.Status}] {check.Name}: {check.Detail}");
            }
        }
    }

    /// <summary>Writes rows of cells as aligned columns (the first left-aligned, the others right-aligned), indented by two spaces.</summary>
    internal static void AppendColumns(StringBuilder text, List<List<string>> rows)
    {
        int[] widths = Enumerable.Range(0, rows[0].Count).Select(j => rows.Max(r => r[j].Length)).ToArray();
        foreach (List<string> row in rows)
        {
            text.Append("  ");
            text.Append(row[0].PadRight(widths[0]));
            for (int j = 1; j < row.Count; j++) text.Append("  ").Append(row[j].PadLeft(widths[j]));
            text.AppendLine();
        }
    }

    private static string Percent(double fraction) => (100 * fraction).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Number(double? value, string whenNull) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : whenNull;

    /// <summary>"1 class", "2 classes": the count with the noun in the number it needs.</summary>
    private static string Counted(int count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural ?? singular + "s")}");
}
