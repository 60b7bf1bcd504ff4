using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>
/// Runs tests/MLNetJacobian.CrossProcess, a program that references only ML.NET, its ONNX transformer and this
/// library, on a saved zip and rows, and reads back its predictions.
/// </summary>
internal static class CrossProcessRunner
{
    /// <summary>The predicted label and scores of each row, as the other process computed them.</summary>
    public static (string Label, float[] Scores)[] Score(string modelPath, IReadOnlyList<(string Label, float[] Features)> rows)
    {
        string program = typeof(CrossProcessRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "CrossProcessProgram").Value!;
        Assert.True(File.Exists(program), $"The cross-process program was not built: '{program}' is missing.");
        string rowsPath = Path.Combine(Path.GetTempPath(), $"jr-rows-{Guid.NewGuid():N}.csv");
        string predictionsPath = Path.Combine(Path.GetTempPath(), $"jr-predictions-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllLines(rowsPath, rows.Select(row =>
                string.Join(",", [row.Label, .. row.Features.Select(v => v.ToString("R", CultureInfo.InvariantCulture))])));
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var start = new ProcessStartInfo(dotnet)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { program, modelPath, rowsPath, predictionsPath }) start.ArgumentList.Add(argument);
            using Process process = Process.Start(start)!;
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(120_000), "The cross-process program did not finish within 120 s.");
            Assert.True(process.ExitCode == 0, $"The cross-process program failed ({process.ExitCode}): {output.Result}\n{error.Result}");
            return File.ReadAllLines(predictionsPath).Select(line =>
            {
                string[] fields = line.Split(',');
                return (fields[0], fields.Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray());
            }).ToArray();
        }
        finally
        {
            File.Delete(rowsPath);
            File.Delete(predictionsPath);
        }
    }
}
