using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNetJacobian.IO;

/// <summary>The JSON settings of every report the library writes (robustness and analysis).</summary>
internal static class ReportJson
{
    /// <summary>
    /// camelCase names (like every JSON file of the library and the tool), indented, enums as names, infinities as the
    /// strings "Infinity" / "-Infinity" (JSON has no literal for them).
    /// </summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
