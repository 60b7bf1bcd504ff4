using System.Globalization;
using MLNetJacobian.Training;
using Spectre.Console;

namespace MLNetJacobian.Cli.Output;

/// <summary>Spectre.Console tables the commands print.</summary>
internal static class ConsoleTables
{
    /// <summary>One row per epoch of a training history.</summary>
    /// <param name="history">The history.</param>
    /// <param name="title">The table title.</param>
    /// <param name="task">The task: its data loss names the third column (CE, log-loss, or the regression loss).</param>
    public static Table History(TrainingHistory history, string title, Data.LearningTask task = Data.LearningTask.Multiclass)
    {
        var table = new Table().Title(Markup.Escape(title)).RoundedBorder();
        string dataLoss = task switch
        {
            Data.LearningTask.Binary => "log-loss",
            Data.LearningTask.Regression => "data",
            _ => "CE",
        };
        table.AddColumns("epoch", "loss", dataLoss, "penalty", "train", "valid.", task == Data.LearningTask.Multiclass ? "rms ||J||_F" : "rms ||J||", "rows/s", "time");
        foreach (TableColumn column in table.Columns) column.RightAligned();
        foreach (EpochMetrics e in history.Epochs)
        {
            table.AddRow(
                e.Epoch.ToString(CultureInfo.InvariantCulture),
                Number(e.Loss, "F4"),
                Number(e.DataLoss, "F4"),
                Number(e.Penalty, "F4"),
                Percent(e.TrainingAccuracy),
                e.ValidationAccuracy is double v ? Percent(v) : "-",
                Number(e.RmsJacobianNormEstimate, "F3"),
                Number(e.ExamplesPerSecond, "F0"),
                Seconds(e.Elapsed));
        }

        table.Caption(task switch
        {
            Data.LearningTask.Binary => "log-loss: sigmoid log-loss; train/valid.: accuracy; ||J||: root-mean-square gradient norm of the logit on training rows; time: since start",
            Data.LearningTask.Regression => "data: the regression loss (on standardized labels unless --no-standardize-label); train/valid.: not measured for a regression; ||J||: root-mean-square gradient norm of the output; time: since start",
            _ => "CE: cross-entropy; train/valid.: accuracy; ||J||_F: root-mean-square estimate on training rows; time: since start",
        });
        return table;
    }

    /// <summary>A fraction as a percentage with two decimals, or <c>-</c> when not finite.</summary>
    public static string Percent(double fraction) => double.IsFinite(fraction) ? (100 * fraction).ToString("F2", CultureInfo.InvariantCulture) + "%" : "-";

    /// <summary>A number in the given format, or <c>-</c> when not finite.</summary>
    public static string Number(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>A duration in seconds with one decimal.</summary>
    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s";
}
