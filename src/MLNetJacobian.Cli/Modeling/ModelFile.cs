using Microsoft.ML;
using MLNetJacobian.Cli.Data;
using MLNetJacobian.Trainers;
using Spectre.Console;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>Loads ML.NET model zips, with one-line errors naming the file.</summary>
internal static class ModelFile
{
    /// <summary>
    /// Loads <paramref name="path"/> and checks that it is a multiclass classifier on <paramref name="dataSchema"/>
    /// (a Score vector with one score per class).
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="path">The zip.</param>
    /// <param name="optionName">The option that named it, for messages.</param>
    /// <param name="dataSchema">The schema of the data it will score.</param>
    public static ITransformer LoadMulticlass(MLContext context, string path, string optionName, DataViewSchema dataSchema)
    {
        (ITransformer model, _) = Load(context, path, optionName);
        try
        {
            LabelKeys.ScoreColumn(model, dataSchema);
        }
        catch (CliException exception)
        {
            throw CliException.InvalidModel($"{optionName} '{path}': {exception.Message}", exception);
        }

        return model;
    }

    /// <summary>
    /// The task of a loaded model, from its output on its own saved input schema: a vector Score is a multiclass
    /// classifier, a Single Score with a Boolean PredictedLabel a binary classifier, a Single Score alone a regressor.
    /// </summary>
    /// <exception cref="CliException">The model has no Score column of either kind.</exception>
    public static LearningTask TaskOf(ITransformer model, DataViewSchema inputSchema, string path, string optionName)
    {
        DataViewSchema output;
        try
        {
            output = model.GetOutputSchema(inputSchema);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or FormatException)
        {
            throw CliException.InvalidModel($"{optionName} '{path}' cannot run on its own saved input columns: {Guard.OneLine(exception.Message)}", exception);
        }

        return output.GetColumnOrNull(ModelColumns.Score)?.Type switch
        {
            Microsoft.ML.Data.VectorDataViewType => LearningTask.Multiclass,
            Microsoft.ML.Data.NumberDataViewType when output.GetColumnOrNull(ModelColumns.PredictedLabel)?.Type == Microsoft.ML.Data.BooleanDataViewType.Instance => LearningTask.Binary,
            Microsoft.ML.Data.NumberDataViewType => LearningTask.Regression,
            _ => throw CliException.InvalidModel($"{optionName} '{path}' has no '{ModelColumns.Score}' column of a classifier or regressor (its output columns: {string.Join(", ", output.Where(c => !c.IsHidden).Select(c => c.Name))})."),
        };
    }

    /// <summary>
    /// Prints the warnings of the training record stored in the zip (see <see cref="TrainingRunRecord"/>): scoring the
    /// model on its own training rows, or on data scaled unlike its training data.
    /// </summary>
    public static void WarnAboutData(IAnsiConsole console, string path, LoadedData data, Commands.DataSettings settings, DataSplit split)
    {
        if (TrainingRunRecord.TryRead(path) is not { } record) return;
        foreach (string warning in record.Check($"'{path}'", data, settings, split))
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }
    }

    /// <summary>Fails unless <paramref name="path"/> is a file: run before any other work, so a mistyped path costs nothing.</summary>
    /// <param name="path">The zip.</param>
    /// <param name="optionName">The option that named it, for messages.</param>
    public static void EnsureExists(string path, string optionName)
    {
        if (Directory.Exists(path)) throw CliException.InvalidModel($"{optionName} '{path}' is a folder; give an ML.NET model zip.");
        if (!File.Exists(path)) throw CliException.InvalidModel($"{optionName} '{path}': no such file.");
    }

    /// <summary>
    /// Loads <paramref name="path"/> with <see cref="JacobianRegularizedModel.Load"/>: <c>mlContext.Model.Load</c>, with
    /// this library's networks restored as <see cref="JacobianRegularizedPredictionTransformer"/> (so they are attacked
    /// white-box and analyzed with exact Jacobians); any other zip comes back as <c>mlContext.Model.Load</c> returns it.
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="path">The zip.</param>
    /// <param name="optionName">The option that named it, for messages.</param>
    public static (ITransformer Model, DataViewSchema InputSchema) Load(MLContext context, string path, string optionName)
    {
        EnsureExists(path, optionName);
        try
        {
            ITransformer model = JacobianRegularizedModel.Load(context, path, out DataViewSchema inputSchema);
            return (model, inputSchema);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw CliException.InvalidModel($"{optionName} '{path}' is not a readable ML.NET model zip: {Guard.OneLine(exception.Message)}", exception);
        }
    }
}
