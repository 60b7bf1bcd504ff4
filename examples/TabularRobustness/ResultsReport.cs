using System.Text;
using System.Text.Json;

namespace TabularRobustness;

/// <summary>The run's results, as JSON (for programs) and markdown (the tables printed).</summary>
public sealed class ResultsReport(int seed, bool quick)
{
    private readonly List<DataSetResult> _results = [];

    /// <summary>Adds one data set's results.</summary>
    public void Add(DataSetResult result) => _results.Add(result);

    /// <summary>The first metric that is NaN or infinite, as "data set, model: metric", or null when all are finite.</summary>
    public string? FirstNonFiniteMetric() => _results
        .SelectMany(r => r.Contenders.SelectMany(c => c.Metrics.Where(m => !double.IsFinite(m.Value)).Select(m => $"{r.Data.Name}, {c.Name}: {m.Key} is {m.Value}")))
        .FirstOrDefault();

    /// <summary>The results as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        seed,
        quick,
        dataSets = _results.Select(r => new
        {
            name = r.Data.Name,
            trainRows = r.Data.TrainCount,
            testRows = r.Data.TestCount,
            preparation = r.Data.Preparation,
            features = r.Data.SlotNames,
            network = r.NetworkSettings,
            models = r.Contenders.Select(c => new { name = c.Name, lambda = c.Lambda, trainingSeconds = c.TrainingSeconds, metrics = c.Metrics }),
            robustness = r.Robustness,
        }),
    }, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Every table, as markdown.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(FormattableString.Invariant($"Seed {seed}{(quick ? "; quick settings" : "")}."));
        foreach (DataSetResult r in _results)
        {
            text.AppendLine().Append(r.MetricsTable());
            foreach (string table in r.Tables) text.AppendLine().Append(table);
        }

        return text.ToString();
    }
}
