using System.Globalization;
using System.Text;
using MLNetJacobian.Robustness;

namespace TabularRobustness;

/// <summary>The issue's targets, checked on the measured figures and printed with the numbers they rest on.</summary>
public static class Targets
{
    /// <summary>
    /// Regression: a network whose test RMSE is within 3% of LightGbm's and whose mean worst-case prediction change at the
    /// smallest epsilon, under the same black-box search, is at most two thirds of LightGbm's.
    /// </summary>
    public static string Regression(string dataSet, IReadOnlyList<Contender> contenders, IReadOnlyList<(Contender Model, RegressionRobustnessReport Report)> reports,
        string square, float epsilon)
    {
        Contender lightGbm = contenders.Single(c => c.Name == "LightGbm");
        double? lightGbmChange = RobustnessRuns.MeanChange(reports.Single(r => r.Model == lightGbm).Report, square, epsilon);
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"{dataSet}, target: RMSE <= 1.03 x LightGbm's ({1.03 * lightGbm.Metrics["RMSE"]:F3}) and mean change at epsilon {epsilon} under {square} <= 2/3 x LightGbm's ({2.0 / 3 * lightGbmChange:F4})");
        text.AppendLine();
        text.AppendLine("| network | RMSE / LightGbm | change / LightGbm | met |").AppendLine("|---|---:|---:|---|");
        foreach ((Contender model, RegressionRobustnessReport report) in reports.Where(r => r.Model.IsNetwork))
        {
            double rmseRatio = model.Metrics["RMSE"] / lightGbm.Metrics["RMSE"];
            double? changeRatio = RobustnessRuns.MeanChange(report, square, epsilon) / lightGbmChange;
            bool met = rmseRatio <= 1.03 && changeRatio <= 2.0 / 3;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {model.Name} | {rmseRatio:F3} | {changeRatio:F3} | {(met ? "yes" : "no")} |");
        }

        return text.ToString();
    }

    /// <summary>
    /// Binary: a network whose AUC is at least logistic regression's and whose worst-case accuracy (L-inf attacks that
    /// ran) is at least that of every ML.NET model (logistic regression, FastTree, LightGbm) at every epsilon (ties count).
    /// </summary>
    public static string Binary(string dataSet, IReadOnlyList<Contender> contenders, IReadOnlyList<(Contender Model, RobustnessReport Report)> reports,
        IReadOnlyList<float> epsilons)
    {
        double lrAuc = contenders.Single(c => c.Name == "LbfgsLogisticRegression").Metrics["AUC"];
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"{dataSet}, target: AUC >= logistic regression's ({lrAuc:F4}) and a worst-case accuracy at least the best of ML.NET's models' at every epsilon");
        text.AppendLine();
        text.AppendLine("| network | AUC - LR's | worst-case accuracy minus the best ML.NET model's, per epsilon | met |").AppendLine("|---|---:|---|---|");
        foreach ((Contender model, RobustnessReport report) in reports.Where(r => r.Model.IsNetwork))
        {
            var margins = epsilons.Select(e =>
            {
                double own = RobustnessRuns.WorstCase(report, e) ?? double.NaN;
                double best = reports.Where(r => !r.Model.IsNetwork).Max(r => RobustnessRuns.WorstCase(r.Report, e) ?? double.NaN);
                return (Epsilon: e, Margin: own - best);
            }).ToList();
            double aucMargin = model.Metrics["AUC"] - lrAuc;
            bool met = aucMargin >= 0 && margins.All(m => m.Margin >= 0);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {model.Name} | {aucMargin:+0.0000;-0.0000;0} | {string.Join(", ", margins.Select(m => FormattableString.Invariant($"{m.Epsilon}: {100 * m.Margin:+0.0;-0.0;0} pt")))} | {(met ? "yes" : "no")} |");
        }

        return text.ToString();
    }
}
