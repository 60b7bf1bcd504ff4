using System.Globalization;

namespace MLNetJacobian.Analysis;

/// <summary>The formatting shared by the text tables of the analysis reports (their <c>ToString</c>).</summary>
internal static class ReportText
{
    /// <summary>A number in 4 significant digits (invariant culture); "inf" / "-inf" for infinities, "-" for none.</summary>
    public static string Number(double? value) => value switch
    {
        null => "-",
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        { } v => v.ToString("G4", CultureInfo.InvariantCulture),
    };

    /// <summary>The text cut to <paramref name="width"/> characters, a '~' marking the cut.</summary>
    public static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "~";

    /// <summary>The interpolated text in the invariant culture.</summary>
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
