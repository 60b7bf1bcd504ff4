using System.Text.Json;
using MLNetJacobian.Analysis;
using MLNetJacobian.Cli.Modeling;

namespace MLNetJacobian.Cli.Output;

/// <summary>The headline figures of several models as JSON (the full reports are written beside it).</summary>
internal static class SummaryJson
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The JSON text.</summary>
    /// <param name="data">The data's description.</param>
    /// <param name="evaluations">The models.</param>
    /// <param name="analysis">The analysis comparison, if one ran.</param>
    public static string ToJson(string data, IReadOnlyList<ModelEvaluation> evaluations, ModelComparisonReport? analysis) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["data"] = data,
            ["accuracyConvention"] = evaluations.FirstOrDefault()?.Robustness.AccuracyConvention,
            ["models"] = evaluations.Select(e => new Dictionary<string, object?>
            {
                ["name"] = e.Model.Name,
                ["description"] = e.Robustness.Model,
                ["cleanAccuracy"] = e.Robustness.CleanAccuracy,
                ["trainingSeconds"] = e.Model.TrainingTime?.TotalSeconds,
                ["meanJacobianFrobeniusNorm"] = e.MeanJacobianNorm,
                ["jacobian"] = e.JacobianKind,
                ["attacks"] = e.Robustness.Attacks.Select(a => new Dictionary<string, object?>
                {
                    ["name"] = a.Name,
                    ["norm"] = a.Norm,
                    ["points"] = a.Points.Select(p => new Dictionary<string, object?> { ["strength"] = p.Strength, ["robustAccuracy"] = p.RobustAccuracy }).ToList(),
                }).ToList(),
                ["worstCase"] = e.Robustness.WorstCase.Select(w => new Dictionary<string, object?>
                {
                    ["norm"] = w.Norm,
                    ["points"] = w.Points.Select(p => new Dictionary<string, object?> { ["epsilon"] = p.Epsilon, ["robustAccuracy"] = p.RobustAccuracy }).ToList(),
                }).ToList(),
                ["warnings"] = e.Robustness.Warnings,
                ["notices"] = e.Robustness.Notices,
            }).ToList(),
            ["cellFigures"] = analysis?.Figures.Select(f => f.FileName).ToList(),
        }, Json);
}
