using MLNetJacobian.Cli.Data;
using Spectre.Console;

namespace MLNetJacobian.Cli.Output;

/// <summary>Prints what was loaded, and what the loader warns about, before any work starts.</summary>
internal static class DataConsole
{
    /// <summary>Prints <c>Data: ...</c> and one <c>warning: ...</c> line per warning of <paramref name="data"/>.</summary>
    public static void Write(IAnsiConsole console, LoadedData data)
    {
        console.MarkupLine($"Data: {Markup.Escape(data.Description)}");
        foreach (string warning in data.Warnings) console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
    }
}
