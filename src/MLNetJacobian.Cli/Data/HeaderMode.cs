namespace MLNetJacobian.Cli.Data;

/// <summary>Whether the first line of a CSV/TSV file names the columns.</summary>
public enum HeaderMode
{
    /// <summary>Decide from the file: the first line is a header when a field that is a number on line 2 is not one on line 1.</summary>
    Auto,

    /// <summary>The first line names the columns.</summary>
    Present,

    /// <summary>Every line is data; columns are known by their 0-based index.</summary>
    Absent,
}
