using System.Globalization;
using System.IO.Compression;

namespace TabularRobustness;

/// <summary>
/// A comma-separated file with a header row, read whole (plain or gzip-compressed): the data sets here are small.
/// Every error names the file, the line and the column.
/// </summary>
public sealed class CsvTable
{
    private readonly string[][] _rows;
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string path, string[] header, string[][] rows)
    {
        Path = path;
        Header = header;
        _rows = rows;
        _columns = header.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The column names, in file order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The number of data rows.</summary>
    public int Count => _rows.Length;

    /// <summary>
    /// Finds <paramref name="fileName"/> (e.g. <c>taxi-fare-train.csv</c>) in <paramref name="folder"/>, plain or with
    /// <c>.gz</c> appended, and reads it.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither file exists (the message names both and where to get the data).</exception>
    /// <exception cref="InvalidDataException">The file is empty or a row has the wrong number of fields.</exception>
    public static CsvTable Read(string folder, string fileName, string provenance)
    {
        string plain = System.IO.Path.Combine(folder, fileName), compressed = plain + ".gz";
        string path = File.Exists(plain) ? plain : File.Exists(compressed) ? compressed
            : throw new FileNotFoundException($"Neither '{plain}' nor '{compressed}' exists. {provenance}", plain);
        using Stream file = File.OpenRead(path);
        using Stream content = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(content);
        string? headerLine = reader.ReadLine() ?? throw new InvalidDataException($"'{path}' is empty; it should start with a header row.");
        string[] header = headerLine.Split(',').Select(h => h.Trim()).ToArray();
        var rows = new List<string[]>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0) continue;
            string[] fields = line.Split(',');
            if (fields.Length != header.Length)
            {
                throw new InvalidDataException($"'{path}' line {lineNumber} has {fields.Length} fields; the header has {header.Length}.");
            }

            rows.Add(fields);
        }

        return new CsvTable(path, header, [.. rows]);
    }

    /// <summary>The index of <paramref name="column"/>.</summary>
    /// <exception cref="InvalidDataException">The header lacks the column.</exception>
    public int Column(string column) => _columns.TryGetValue(column, out int index)
        ? index
        : throw new InvalidDataException($"'{Path}' has no column '{column}'; its header is: {string.Join(", ", Header)}.");

    /// <summary>The text of row <paramref name="row"/> (0-based data row) in column <paramref name="column"/>.</summary>
    public string Text(int row, int column) => _rows[row][column].Trim();

    /// <summary>The number in row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    /// <exception cref="InvalidDataException">The field is not a finite number (the message names file, line, column and text).</exception>
    public float Number(int row, int column)
    {
        string text = Text(row, column);
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value)
            ? value
            : throw new InvalidDataException($"'{Path}' data row {row + 1}, column '{Header[column]}': '{text}' is not a finite number.");
    }
}
