using MLNetJacobian.Data;
using MLNetJacobian.Models;

namespace MLNetJacobian.Analysis;

/// <summary>
/// Compares several models on the same examples: accuracy, Jacobian statistics, distances to the decision boundary,
/// and decision-cell figures of every model on the same planes (for example lambda 0 vs 0.1 vs LightGbm).
/// </summary>
public static partial class ModelComparison
{
    /// <summary>
    /// Runs the comparison; it writes nothing (<see cref="ModelComparisonReport.Save"/> writes the tables, the Plotting
    /// assembly's <c>SaveFigures</c> the figures).
    /// </summary>
    /// <param name="models">
    /// The models by display name, all with the data's D and classes. A model that is an <see cref="IJacobianModel"/>
    /// (this library's networks from <c>modelParameters.CreateModel()</c> and <see cref="LinearModel"/> exactly, any
    /// other model wrapped in a <see cref="FiniteDifferenceJacobian"/>) also gets Jacobian statistics and the gradient
    /// direction of the boundary search; the others get accuracy, random-direction distances and maps.
    /// </param>
    /// <param name="data">The examples (a test set); <see cref="LabeledDataset.FromDataView"/> reads them from an <c>IDataView</c>.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">No model, a model whose D or classes differ from the data's, or no rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A figure example is not a row of the data, or <c>StatisticsExamples</c> is below 1.</exception>
    public static ModelComparisonReport Run(IReadOnlyList<(string Name, IModel Model)> models, LabeledDataset data, Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new Options();
        Validate(models, data, options);

        var figures = new List<ModelComparisonReport.Figure>();
        var cellFractions = models.Select(_ => new List<double>()).ToArray();
        // The singular planes come from the first model with a Jacobian (default when none, or when not asked for).
        (string Name, IModel Model) singularSource = options.IncludeSingularPlanes ? models.FirstOrDefault(m => m.Model is IJacobianModel) : default;
        foreach (int example in options.FigureExamples)
        {
            string label = data.ClassNames[data.Labels[example]];
            DecisionPlane random = DecisionPlane.Random(data.Row(example), options.PlaneSeed + example);
            DecisionCellMap[] maps = models.Select(m => DecisionCellMap.Compute(m.Model, random, options.MapRadius, options.MapResolution, m.Name)).ToArray();
            for (int i = 0; i < maps.Length; i++) cellFractions[i].Add(maps[i].CenterCellFraction);
            figures.Add(new ModelComparisonReport.Figure(example, $"cells-example{example}-random.png",
                $"Decision cells around test example {example} (a '{label}'), random plane", maps));

            // No singular-direction figure where J(x) has rank below 2: the plane is not defined there.
            if (singularSource.Model is IJacobianModel singularJacobian
                && DecisionPlane.TryTopSingularDirections(data.Row(example), singularJacobian) is { } singular)
            {
                DecisionCellMap[] singularMaps = models.Select(m => DecisionCellMap.Compute(m.Model, singular, options.MapRadius, options.MapResolution, m.Name)).ToArray();
                figures.Add(new ModelComparisonReport.Figure(example, $"cells-example{example}-singular.png",
                    $"Decision cells around test example {example} (a '{label}'), top singular directions of {singularSource.Name}", singularMaps));
            }
        }

        var rows = new List<ModelComparisonReport.Row>();
        int count = Math.Min(options.StatisticsExamples, data.Count);
        for (int m = 0; m < models.Count; m++)
        {
            (string name, IModel model) = models[m];
            IJacobianModel? jacobianModel = model as IJacobianModel;
            var scores = new float[count * model.OutputCount];
            var predicted = new int[count];
            ModelPredictions.PredictClasses(model, data.Features.AsSpan(0, count * data.FeatureCount), count, scores, predicted);
            double accuracy = Enumerable.Range(0, count).Count(i => predicted[i] == data.Labels[i]) / (double)count;
            JacobianAnalysisReport? jacobian = jacobianModel is null ? null
                : JacobianAnalyzer.Analyze(jacobianModel, data, new JacobianAnalyzer.Options { MaxExamples = count });
            BoundaryDistanceReport boundary = DecisionBoundaryDistance.Measure(model, data, options.Boundary, jacobianModel);
            rows.Add(new ModelComparisonReport.Row(name, count, accuracy, jacobian, boundary, cellFractions[m]));
        }

        return new ModelComparisonReport(rows, figures);
    }

    private static void Validate(IReadOnlyList<(string Name, IModel Model)> models, LabeledDataset data, Options options)
    {
        if (models.Count == 0) throw new ArgumentException("At least one model is needed.", nameof(models));
        if (data.Count == 0) throw new ArgumentException("The data has no rows.", nameof(data));
        foreach ((string name, IModel model) in models)
        {
            if (name is null) throw new ArgumentNullException(nameof(models), "A model's name is null.");
            if (model is null) throw new ArgumentNullException(nameof(models), $"Model '{name}' is null.");
            if (model.FeatureCount != data.FeatureCount)
            {
                throw new ArgumentException($"Model '{name}' expects D = {model.FeatureCount}; the data has {data.FeatureCount}.", nameof(models));
            }

            if (!model.ClassNames.SequenceEqual(data.ClassNames))
            {
                throw new ArgumentException(
                    $"Model '{name}' has classes [{string.Join(", ", model.ClassNames)}]; the data has [{string.Join(", ", data.ClassNames)}]. " +
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
