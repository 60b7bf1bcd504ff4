using MLNetJacobian.Data;
using MLNetJacobian.Models;

namespace MLNetJacobian.Analysis;

/// <summary>
/// Compares several models on the same examples: accuracy, Jacobian statistics, distances to the decision boundary,
/// and decision-cell figures of every model on the same planes (for example lambda 0 vs 0.1 vs LightGbm).
/// </summary>
public static class ModelComparison
{
    /// <summary>
    /// Runs the comparison; it writes nothing (<see cref="ModelComparisonReport.Save"/> writes the tables, the Plotting
    /// assembly's <c>SaveFigures</c> the figures).
    /// </summary>
    /// <param name="models">The models, all with the data's D and class count.</param>
    /// <param name="data">The examples (a test set).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    public static ModelComparisonReport Run(IReadOnlyList<AnalyzedModel> models, LabeledDataset data, ModelComparisonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new ModelComparisonOptions();
        Validate(models, data, options);

        var figures = new List<ModelComparisonFigure>();
        var cellFractions = models.Select(_ => new List<double>()).ToArray();
        AnalyzedModel? singularSource = options.IncludeSingularPlanes ? models.FirstOrDefault(m => m.Jacobian is not null) : null;
        foreach (int example in options.FigureExamples)
        {
            string label = data.ClassNames[data.Labels[example]];
            DecisionPlane random = DecisionPlane.Random(data.Row(example), options.PlaneSeed + example);
            DecisionCellGrid[] grids = models.Select(m => DecisionCellMap.Compute(m.Model, random, options.MapRadius, options.MapResolution, m.Name)).ToArray();
            for (int i = 0; i < grids.Length; i++) cellFractions[i].Add(grids[i].CenterCellFraction);
            figures.Add(new ModelComparisonFigure(example, $"cells-example{example}-random.png",
                $"Decision cells around test example {example} (a '{label}'), random plane", grids));

            // No singular-direction figure where J(x) has rank below 2: the plane is not defined there.
            if (singularSource is not null
                && DecisionPlane.TryTopSingularDirections(data.Row(example), singularSource.Jacobian!) is { } singular)
            {
                DecisionCellGrid[] singularGrids = models.Select(m => DecisionCellMap.Compute(m.Model, singular, options.MapRadius, options.MapResolution, m.Name)).ToArray();
                figures.Add(new ModelComparisonFigure(example, $"cells-example{example}-singular.png",
                    $"Decision cells around test example {example} (a '{label}'), top singular directions of {singularSource.Name}", singularGrids));
            }
        }

        var rows = new List<ModelComparisonRow>();
        int count = Math.Min(options.StatisticsExamples, data.Count);
        for (int m = 0; m < models.Count; m++)
        {
            AnalyzedModel model = models[m];
            var scores = new float[count * model.Model.OutputCount];
            var predicted = new int[count];
            ModelPredictions.PredictClasses(model.Model, data.Features.AsSpan(0, count * data.FeatureCount), count, scores, predicted);
            double accuracy = Enumerable.Range(0, count).Count(i => predicted[i] == data.Labels[i]) / (double)count;
            JacobianAnalysisReport? jacobian = model.Jacobian is null ? null
                : JacobianAnalyzer.Analyze(model.Jacobian, data, new JacobianAnalysisOptions { MaxExamples = count });
            BoundaryDistanceReport boundary = DecisionBoundaryDistance.Measure(model.Model, data, options.Boundary, model.Jacobian);
            rows.Add(new ModelComparisonRow(model.Name, count, accuracy, jacobian, boundary, cellFractions[m]));
        }

        return new ModelComparisonReport(rows, figures);
    }

    private static void Validate(IReadOnlyList<AnalyzedModel> models, LabeledDataset data, ModelComparisonOptions options)
    {
        if (models.Count == 0) throw new ArgumentException("At least one model is needed.", nameof(models));
        if (data.Count == 0) throw new ArgumentException("The data has no rows.", nameof(data));
        foreach (AnalyzedModel model in models)
        {
            ArgumentNullException.ThrowIfNull(model, nameof(models));
            if (model.Model.FeatureCount != data.FeatureCount)
            {
                throw new ArgumentException($"Model '{model.Name}' expects D = {model.Model.FeatureCount}; the data has {data.FeatureCount}.", nameof(models));
            }

            if (!model.Model.ClassNames.SequenceEqual(data.ClassNames))
            {
                throw new ArgumentException(
                    $"Model '{model.Name}' has classes [{string.Join(", ", model.Model.ClassNames)}]; the data has [{string.Join(", ", data.ClassNames)}]. " +
                    "They must be the same, in the same order (for ML.NET, map the label with MapValueToKey(keyData: ...) in the data's class order).", nameof(models));
            }
        }

        if (options.StatisticsExamples < 1) throw new ArgumentOutOfRangeException(nameof(options), options.StatisticsExamples, "StatisticsExamples must be at least 1.");
        foreach (int example in options.FigureExamples)
        {
            if ((uint)example >= (uint)data.Count) throw new ArgumentOutOfRangeException(nameof(options), example, $"Figure example {example} is not a row of the data (0..{data.Count - 1}).");
        }
    }
}
