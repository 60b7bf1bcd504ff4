using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Cli.Data;

namespace MLNetJacobian.Cli.Modeling;

/// <summary>
/// Gives the data's label the class numbering of a model's Score column, so that accuracy and robustness count
/// against the right class: class k is the Score column's slot k, named by its SlotNames annotation.
/// </summary>
internal static class LabelKeys
{
    /// <summary>
    /// The class names of <paramref name="model"/>: the Score column's slot names, or 0..C-1 without them.
    /// </summary>
    /// <param name="model">A multiclass model.</param>
    /// <param name="inputSchema">The schema of the data it is applied to.</param>
    public static IReadOnlyList<string> ClassNames(ITransformer model, DataViewSchema inputSchema)
    {
        DataViewSchema.Column score = ScoreColumn(model, inputSchema);
        int classCount = ((VectorDataViewType)score.Type).Size;
        if (score.HasSlotNames())
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            score.GetSlotNames(ref names);
            string[] text = names.DenseValues().Select(n => n.ToString()).ToArray();
            if (text.All(t => t.Length > 0) && text.Distinct(StringComparer.Ordinal).Count() == text.Length) return text;
        }

        return Enumerable.Range(0, classCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The model's Score column: a known-size vector of Single, or a <see cref="CliException"/> saying what is wrong.</summary>
    public static DataViewSchema.Column ScoreColumn(ITransformer model, DataViewSchema inputSchema)
    {
        DataViewSchema output;
        try
        {
            output = model.GetOutputSchema(inputSchema);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or FormatException)
        {
            throw CliException.InvalidModel($"the model cannot run on the data's columns ({Describe(inputSchema)}): {Guard.OneLine(exception.Message)}", exception);
        }

        DataViewSchema.Column score = output.GetColumnOrNull(ModelColumns.Score)
            ?? throw CliException.InvalidModel($"the model has no '{ModelColumns.Score}' column (its output columns: {Describe(output)}); a multiclass classifier is needed.");
        if (score.Type is not VectorDataViewType { Size: > 1 } vector || vector.ItemType != NumberDataViewType.Single)
        {
            throw CliException.InvalidModel($"the model's '{ModelColumns.Score}' column is {score.Type}, not a vector of one score per class; a multiclass classifier is needed (binary classifiers and regressors are not).");
        }

        return score;
    }

    /// <summary>
    /// <paramref name="data"/> with its <c>Label</c> as a key numbered like the model's classes. Unchanged when the label
    /// is a key already or the model maps the label itself (a <c>MapValueToKey</c> inside the model).
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="model">The model.</param>
    /// <param name="data">Data with a Single or text <c>Label</c>.</param>
    public static IDataView AlignWithScores(MLContext context, ITransformer model, IDataView data)
    {
        DataViewSchema.Column label = data.Schema.GetColumnOrNull(LoadedData.LabelColumnName)
            ?? throw CliException.InvalidData($"the data has no '{LoadedData.LabelColumnName}' column (columns: {Describe(data.Schema)}).");
        if (label.Type is KeyDataViewType) return data;
        ScoreColumn(model, data.Schema);
        if (model.GetOutputSchema(data.Schema).GetColumnOrNull(LoadedData.LabelColumnName) is { Type: KeyDataViewType }) return data;

        IReadOnlyList<string> names = ClassNames(model, data.Schema);
        IDataView keyData;
        if (label.Type == NumberDataViewType.Single)
        {
            var values = new float[names.Count];
            for (int k = 0; k < names.Count; k++)
            {
                if (!float.TryParse(names[k], NumberStyles.Float, CultureInfo.InvariantCulture, out values[k]))
                {
                    throw CliException.InvalidData($"the data's labels are numbers, but the model's class {k} is named '{names[k]}'; give data labelled like the model's training data.");
                }
            }

            keyData = context.Data.LoadFromEnumerable(values.Select(v => new NumberKey { Value = v }));
        }
        else if (label.Type is TextDataViewType)
        {
            keyData = context.Data.LoadFromEnumerable(names.Select(n => new TextKey { Value = n }));
        }
        else
        {
            throw CliException.InvalidData($"the data's '{LoadedData.LabelColumnName}' column is {label.Type}; a number, text or key label is needed.");
        }

        return context.Transforms.Conversion
            .MapValueToKey(LoadedData.LabelColumnName, keyData: keyData)
            .Fit(data)
            .Transform(data);
    }

    private static string Describe(DataViewSchema schema) =>
        string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"{c.Name} {c.Type}"));

    private sealed class NumberKey
    {
        public float Value { get; set; }
    }

    private sealed class TextKey
    {
        public string Value { get; set; } = string.Empty;
    }
}
