using System.Globalization;

namespace MLNetJacobian.Cli.Data;

/// <summary>
/// Chooses the task of a CSV/TSV label (<c>--task</c>, or inferred where the label leaves no doubt) and checks that the
/// label suits it, with one-line errors naming the file, the column and the values found.
/// </summary>
internal static class TaskInference
{
    /// <summary>The most distinct integer labels inferred as classes; more (or non-integers) need <c>--task</c> or are a regression.</summary>
    public const int MaxInferredClasses = 20;

    /// <summary>The label values a binary task accepts (case-insensitive), as ML.NET's Boolean conversion reads them.</summary>
    private static readonly string[] BooleanValues = ["true", "false", "1", "0"];

    /// <summary>The task for <paramref name="layout"/>'s label: <paramref name="given"/> when set (checked), else inferred.</summary>
    /// <param name="layout">The scanned file.</param>
    /// <param name="given">The <c>--task</c> value, or the model's task, or null to infer.</param>
    /// <param name="givenBy">Who gave the task, for messages: <c>--task binary</c> or <c>the model 'm.zip' (a binary classifier)</c>.</param>
    /// <param name="skipNonFinite">Whether <c>--skip-non-finite</c> is on (a regression then drops rows with a NaN or infinite label).</param>
    /// <exception cref="CliException">The label does not suit the task, or the task cannot be inferred.</exception>
    public static LearningTask Resolve(DelimitedFileLayout layout, LearningTask? given, string? givenBy, bool skipNonFinite)
    {
        string column = layout.ColumnName(layout.LabelIndex);
        string where = $"the label {column} of {layout.Path}";
        IReadOnlyList<string> values = layout.LabelValues;
        bool numeric = layout.LabelIsNumeric;
        bool boolean = values.Count > 0 && values.All(v => BooleanValues.Contains(v, StringComparer.OrdinalIgnoreCase));
        bool integers = numeric && values.All(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture) is var x && x == MathF.Round(x));
        LearningTask task = given ?? Infer(where, values, numeric, boolean, integers);
        string by = givenBy ?? $"--task {task.ToString().ToLowerInvariant()}";
        switch (task)
        {
            case LearningTask.Binary when !boolean:
                string kind = numeric ? "numbers" : "text values";
                string example = values.Count == 2 ? $" (for example 1 for '{values[1]}' and 0 for '{values[0]}')" : "";
                throw CliException.InvalidData(
                    $"{by}: {where} holds {values.Count} distinct {kind} ({List(values)}), not Boolean; a binary label is true/false or 1/0: convert the column{example}{(givenBy is null ? ", or pass --task multiclass" : "")}.");
            case LearningTask.Regression when !numeric:
                throw CliException.InvalidData(
                    $"{by}: {where} holds text ({List(values)}), not numbers; a regression needs a numeric label{(givenBy is null ? " (pass --task multiclass for classes)" : "")}.");
            case LearningTask.Regression when values.Count == 1:
                throw CliException.InvalidData(
                    $"{by}: every one of the {layout.LabelCounts.Values.Sum()} rows of {layout.Path} has label {values[0]} in column {column}; a regression needs a label that varies.");
            case LearningTask.Multiclass when numeric && !integers && values.Count > MaxInferredClasses:
                throw CliException.InvalidData(
                    $"{by}: {where} holds {values.Count} distinct values, not all integers ({Range(values)}): a quantity, not classes; pass --task regression.");
        }

        if (layout.FirstNonFiniteLabel is (int line, string text) && !(task == LearningTask.Regression && skipNonFinite))
        {
            string hint = task == LearningTask.Regression ? " (train and compare skip such rows with --skip-non-finite)" : "";
            throw CliException.InvalidData($"{layout.Path}, line {line}, column {column}: the label '{text}' is not a finite number{hint}.");
        }

        return task;
    }

    private static LearningTask Infer(string where, IReadOnlyList<string> values, bool numeric, bool boolean, bool integers)
    {
        if (boolean && !numeric) return LearningTask.Binary;
        if (!numeric) return LearningTask.Multiclass;
        if (integers && values.Count <= MaxInferredClasses) return LearningTask.Multiclass;
        if (!integers && values.Count > MaxInferredClasses) return LearningTask.Regression;
        string what = integers
            ? $"{values.Count} distinct integers ({Range(values)}): classes or a quantity?"
            : $"only {values.Count} distinct values, not all integers ({List(values)}): a quantity or classes?";
        throw CliException.InvalidArgument($"{where} holds {what} Pass --task regression or --task multiclass (or --task binary for a 0/1 label).");
    }

    private static string List(IReadOnlyList<string> values)
    {
        const int shown = 5;
        string list = string.Join(", ", values.Take(shown).Select(v => $"'{v}'"));
        return values.Count > shown ? $"{list}, ..." : list;
    }

    private static string Range(IReadOnlyList<string> values) => $"{values[0]} to {values[^1]}";
}
