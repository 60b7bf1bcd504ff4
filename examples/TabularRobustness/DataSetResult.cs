using System.Globalization;
using System.Text;

namespace TabularRobustness;

/// <summary>Everything measured on one data set: the clean metrics of every contender, then the robustness tables.</summary>
/// <param name="Data">The prepared data set.</param>
/// <param name="NetworkSettings">The networks' settings, as one line.</param>
/// <param name="Contenders">The fitted models with their test metrics.</param>
/// <param name="MetricNames">The metrics' names, in table order.</param>
public sealed record DataSetResult(TabularDataSet Data, string NetworkSettings, IReadOnlyList<Contender> Contenders, IReadOnlyList<string> MetricNames)
{
    /// <summary>The robustness tables and target checks (markdown), in print order.</summary>
    public List<string> Tables { get; } = [];

    /// <summary>The robustness figures, for results.json: per model, attack and epsilon.</summary>
    public List<object> Robustness { get; } = [];

    /// <summary>The clean test metrics as a markdown table.</summary>
    public string MetricsTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Data.Name}: test metrics ({Data.TestCount:N0} rows; trained on {Data.TrainCount:N0}); network {NetworkSettings}");
        text.AppendLine($"| model | {string.Join(" | ", MetricNames)} | train s |");
        text.AppendLine($"|---|{string.Concat(MetricNames.Select(_ => "---:|"))}---:|");
        foreach (Contender c in Contenders)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {c.Name} | {string.Join(" | ", MetricNames.Select(m => Format(m, c.Metrics[m])))} | {c.TrainingSeconds:F1} |");
        }

        return text.ToString();
    }

    private static string Format(string metric, double value) => metric == "accuracy"
        ? (100 * value).ToString("F1", CultureInfo.InvariantCulture) + "%"
        : value.ToString(metric is "RMSE" or "MAE" ? "F3" : "F4", CultureInfo.InvariantCulture);
}
