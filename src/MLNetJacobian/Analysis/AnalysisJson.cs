using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNetJacobian.Analysis;

/// <summary>The JSON settings shared by the analysis reports.</summary>
internal static class AnalysisJson
{
    /// <summary>Indented, enums as names, infinities as the strings "Infinity" / "-Infinity" (JSON has no literal for them).</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
