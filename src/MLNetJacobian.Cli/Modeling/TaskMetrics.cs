using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Cli.Data;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>
/// The clean metrics of a binary classifier (<c>BinaryClassification.Evaluate</c>: accuracy, AUC, F1 and, with a
/// Probability column, log-loss) or a regressor (<c>Regression.Evaluate</c>: RMSE, MAE, R^2), in label units.
/// </summary>
/// <param name="Task">The task.</param>
/// <param name="Values">The metrics by name, in display order.</param>
/// <param name="Rows">The rows measured.</param>
internal sealed record TaskMetrics(LearningTask Task, IReadOnlyList<(string Name, double Value)> Values, long Rows)
{
    /// <summary>Measures <paramref name="model"/> on <paramref name="data"/> (a Boolean or Single <c>Label</c>).</summary>
    /// <exception cref="CliException">The model's output does not fit the task.</exception>
    public static TaskMetrics Measure(MLContext context, ITransformer model, IDataView data, LearningTask task)
    {
        IDataView scored = Guard.Data(() => model.Transform(data));
        DataViewSchema.Column? score = scored.Schema.GetColumnOrNull(ModelColumns.Score);
        if (score is not { } column || column.Type != NumberDataViewType.Single)
        {
            throw CliException.InvalidModel($"the model's '{ModelColumns.Score}' column is {score?.Type.ToString() ?? "missing"}, not the one Single score of a {Describe(task)}.");
        }

        const string label = LoadedData.LabelColumnName;
        if (task == LearningTask.Binary)
        {
            bool calibrated = scored.Schema.GetColumnOrNull(ModelColumns.Probability) is not null;
            if (calibrated)
            {
                CalibratedBinaryClassificationMetrics m = Guard.Data(() => context.BinaryClassification.Evaluate(scored, label, ModelColumns.Score, ModelColumns.Probability, ModelColumns.PredictedLabel));
                return new TaskMetrics(task, [("accuracy", m.Accuracy), ("AUC", m.AreaUnderRocCurve), ("F1", m.F1Score), ("log-loss", m.LogLoss)], CountRows(scored));
            }

            BinaryClassificationMetrics n = Guard.Data(() => context.BinaryClassification.EvaluateNonCalibrated(scored, label, ModelColumns.Score, ModelColumns.PredictedLabel));
            return new TaskMetrics(task, [("accuracy", n.Accuracy), ("AUC", n.AreaUnderRocCurve), ("F1", n.F1Score)], CountRows(scored));
        }

        RegressionMetrics r = Guard.Data(() => context.Regression.Evaluate(scored, label, ModelColumns.Score));
        return new TaskMetrics(task, [("RMSE", r.RootMeanSquaredError), ("MAE", r.MeanAbsoluteError), ("R^2", r.RSquared)], CountRows(scored));
    }

    /// <summary>The first metric (accuracy, or RMSE).</summary>
    public double Headline => Values[0].Value;

    /// <summary>One line: <c>accuracy 91.2%, AUC 0.962, F1 0.903, log-loss 0.231</c>.</summary>
    public override string ToString() => string.Join(", ", Values.Select(v => $"{v.Name} {Format(v.Name, v.Value)}"));

    /// <summary>The metrics as a name-to-value map for JSON.</summary>
    public IReadOnlyDictionary<string, double> Record => Values.ToDictionary(v => v.Name, v => v.Value);

    /// <summary>A metric as the console shows it: accuracy as a percentage, the others to 4 significant digits.</summary>
    public static string Format(string name, double value) =>
        name == "accuracy" ? (100 * value).ToString("F1", CultureInfo.InvariantCulture) + "%" : value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>The task's model in words.</summary>
    public static string Describe(LearningTask task) => task switch
    {
        LearningTask.Binary => "binary classifier",
        LearningTask.Regression => "regressor",
        _ => "multiclass classifier",
    };

    private static long CountRows(IDataView view) => DatasetLoader.CountRows(view);
}
