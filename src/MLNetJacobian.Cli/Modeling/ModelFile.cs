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
