using System.Globalization;
using System.Text;

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
            $"{report.ExampleCount} examples, {report.FeatureCount} features, {report.ClassCount} classes; bounds [{config.LowerBound}, {config.UpperBound}]; seed {config.Seed} ({config.SeedSource}); {config.ThreadCount} threads; {report.Elapsed.TotalSeconds:0.0} s");
        text.AppendLine(CultureInfo.InvariantCulture, $"Clean accuracy: {Percent(report.CleanAccuracy)}");
        text.AppendLine(report.AccuracyConvention);

        foreach (var group in report.Attacks.GroupBy(a => a.Norm))
        {
            text.AppendLine();
            text.AppendLine(group.Key is null ? "Robust accuracy under noise, by noise scale (sigma):" : $"Robust accuracy, {group.Key}, by epsilon:");
            WorstCaseCurve? worst = report.WorstCase.FirstOrDefault(w => w.Norm == group.Key);
            AppendTable(text, group.ToList(), worst);
        }

        if (report.MinimalPerturbation is { } minimal)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Minimal perturbation ({minimal.Attack}, {minimal.BisectionSteps} bisection steps): median {Number(minimal.Median, "above the largest epsilon")}, " +
                $"mean of found {Number(minimal.MeanOfFound, "none")} ({minimal.FoundCount} of {minimal.SearchedCount} correctly classified examples flipped)");
        }

        if (report.Notices.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Notices:");
            foreach (string notice in report.Notices) text.AppendLine("  - " + notice);
        }

        if (report.SanityChecks.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Sanity checks ({report.Warnings.Count} warning{(report.Warnings.Count == 1 ? "" : "s")}):");
            foreach (SanityCheckResult check in report.SanityChecks)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  [{check.Status}] {check.Name}: {check.Detail}");
            }
        }

        return text.ToString();
    }

    private static void AppendTable(StringBuilder text, List<AttackCurve> curves, WorstCaseCurve? worst)
    {
        double[] grid = curves.SelectMany(c => c.Points.Select(p => p.Strength)).Distinct().Order().ToArray();
        var header = new List<string> { "attack" };
        header.AddRange(grid.Select(g => g.ToString("0.###", CultureInfo.InvariantCulture)));
        header.AddRange(["seconds", "queries/ex", "gradients/ex"]);
        var rows = new List<List<string>> { header };
        foreach (AttackCurve curve in curves)
        {
            var row = new List<string> { curve.Name };
            row.AddRange(grid.Select(g => curve.Points.FirstOrDefault(p => p.Strength == g) is { } point ? Percent(point.RobustAccuracy) : "-"));
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

        int[] widths = Enumerable.Range(0, header.Count).Select(j => rows.Max(r => r[j].Length)).ToArray();
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
}
