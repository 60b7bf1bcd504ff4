using Microsoft.ML;

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

    /// <summary>Loads <paramref name="path"/> with plain <c>mlContext.Model.Load</c>.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="path">The zip.</param>
    /// <param name="optionName">The option that named it, for messages.</param>
    public static (ITransformer Model, DataViewSchema InputSchema) Load(MLContext context, string path, string optionName)
    {
        if (Directory.Exists(path)) throw CliException.InvalidModel($"{optionName} '{path}' is a folder; give an ML.NET model zip.");
        if (!File.Exists(path)) throw CliException.InvalidModel($"{optionName} '{path}': no such file.");
        try
        {
            ITransformer model = context.Model.Load(path, out DataViewSchema inputSchema);
            return (model, inputSchema);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw CliException.InvalidModel($"{optionName} '{path}' is not a readable ML.NET model zip: {Guard.OneLine(exception.Message)}", exception);
        }
    }
}
