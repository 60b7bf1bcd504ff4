using System.Diagnostics;

namespace MLNetJacobian.Cli.Tests;

/// <summary>
/// The tool as a separate process with its output redirected, as in a log or CI: every progress line arrives whole,
/// however long (the console's default width used to fold them mid-sentence).
/// </summary>
public class RedirectedOutputTests
{
    [Fact]
    public async Task Train_OutputRedirected_PrintsEachProgressLineWhole()
    {
        using var folder = new TemporaryFolder();
        string tool = Path.Combine(AppContext.BaseDirectory, "mlnet-jacobian.dll");
        Assert.True(File.Exists(tool), $"The tool was not built next to the tests: '{tool}' is missing.");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { tool, "train", "--epochs", "1", "--model", folder.File("digits.zip") })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        string printed = await output, errorText = await errors;
        Assert.True(process.ExitCode == 0, $"The tool failed ({process.ExitCode}): {printed}\n{errorText}");

        string[] lines = printed.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        string settings = Assert.Single(lines, line => line.StartsWith("Training lambda ", StringComparison.Ordinal) && line.Contains(" rows: lambda "));
        Assert.True(settings.Length > 180, $"The settings line is shorter than the old fold width, so it tests nothing: '{settings}'.");
        Assert.EndsWith(" rows.", settings); // "..., shuffling with a window of N rows." on the same line
        string epoch = Assert.Single(lines, line => line.Contains(": Epoch 1/1: ", StringComparison.Ordinal));
        Assert.Contains("elapsed", epoch);
    }
}
