using System.Globalization;

namespace MLNetJacobian.Cli.Data;

/// <summary>
/// Resolves the <c>--label</c> and <c>--features</c> options against a file's columns. A column is a header name or
/// a 0-based index; <c>--features</c> is a comma-separated list of names, indices and inclusive index ranges
/// (<c>0-63</c>).
/// </summary>
internal static class ColumnSelector
{
    /// <summary>The label column's index: <paramref name="specification"/>, or the last column when it is null.</summary>
    /// <param name="specification">A name or an index, or null.</param>
    /// <param name="names">The column names (header names, or null without a header).</param>
    /// <param name="fieldCount">The number of columns in the file.</param>
    /// <param name="file">The file, for messages.</param>
    public static int ResolveLabel(string? specification, IReadOnlyList<string>? names, int fieldCount, string file)
    {
        if (specification is null) return fieldCount - 1;
        return ResolveOne(specification.Trim(), names, fieldCount, file, "--label");
    }

    /// <summary>
    /// The feature columns' indices in file order: <paramref name="specification"/>, or every column but the label
    /// when it is null.
    /// </summary>
    /// <param name="specification">The list, or null.</param>
    /// <param name="labelIndex">The label column.</param>
    /// <param name="names">The column names, or null without a header.</param>
    /// <param name="fieldCount">The number of columns in the file.</param>
    /// <param name="file">The file, for messages.</param>
    /// <param name="option">The option being resolved, for messages.</param>
    public static int[] ResolveFeatures(string? specification, int labelIndex, IReadOnlyList<string>? names, int fieldCount, string file, string option = "--features")
    {
        if (specification is null) return Enumerable.Range(0, fieldCount).Where(i => i != labelIndex).ToArray();
        var chosen = new SortedSet<int>();
        foreach (string rawItem in specification.Split(','))
        {
            string item = rawItem.Trim();
            if (item.Length == 0) throw CliException.InvalidArgument($"{option} '{specification}' has an empty item; separate names, indices and ranges (0-63) with commas.");
            foreach (int index in ResolveItem(item, names, fieldCount, file, option))
            {
                if (index == labelIndex)
                {
                    throw CliException.InvalidArgument($"{option} '{specification}' includes the label column {Describe(index, names)}.");
                }

                chosen.Add(index);
            }
        }

        return chosen.ToArray();
    }

    /// <summary>A column as messages show it: <c>'name' (index 3)</c> or <c>3</c>.</summary>
    public static string Describe(int index, IReadOnlyList<string>? names) =>
        names is null ? index.ToString(CultureInfo.InvariantCulture) : $"'{names[index]}' (index {index})";

    private static IEnumerable<int> ResolveItem(string item, IReadOnlyList<string>? names, int fieldCount, string file, string option)
    {
        if (names is not null && IndexOfName(names, item) is int named) return [named];
        int dash = item.IndexOf('-', 1);
        if (dash > 0 && TryIndex(item[..dash], out int first) && TryIndex(item[(dash + 1)..], out int last))
        {
            if (last < first) throw CliException.InvalidArgument($"{option} range '{item}' ends before it starts.");
            CheckRange(first, fieldCount, file, option, item);
            CheckRange(last, fieldCount, file, option, item);
            return Enumerable.Range(first, last - first + 1);
        }

        return [ResolveOne(item, names, fieldCount, file, option)];
    }

    private static int ResolveOne(string item, IReadOnlyList<string>? names, int fieldCount, string file, string option)
    {
        if (names is not null && IndexOfName(names, item) is int named) return named;
        if (TryIndex(item, out int index))
        {
            CheckRange(index, fieldCount, file, option, item);
            return index;
        }

        if (names is null)
        {
            throw CliException.InvalidArgument($"{option} '{item}' is a name, but {file} has no header line; give a 0-based column index or pass --header present.");
        }

        throw CliException.InvalidData($"{option} '{item}': {file} has no column of that name; its columns are {ListNames(names)}.");
    }

    private static void CheckRange(int index, int fieldCount, string file, string option, string item)
    {
        if (index >= fieldCount)
        {
            throw CliException.InvalidData($"{option} '{item}': column index {index} is outside the {fieldCount} columns of {file} (0-{fieldCount - 1}).");
        }
    }

    private static int? IndexOfName(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        }

        return null;
    }

    private static bool TryIndex(string text, out int index) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index);

    private static string ListNames(IReadOnlyList<string> names)
    {
        const int shown = 12;
        string list = string.Join(", ", names.Take(shown).Select(n => $"'{n}'"));
        return names.Count > shown ? $"{list}, ... ({names.Count} in all)" : list;
    }
}
