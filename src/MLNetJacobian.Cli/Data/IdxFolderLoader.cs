using Microsoft.ML;
using MLNetJacobian.Cli.Commands;

namespace MLNetJacobian.Cli.Data;

/// <summary>Loads a folder of MNIST-style IDX files through the library's IDX loader.</summary>
internal static class IdxFolderLoader
{
    /// <summary>Loads the training and test files of the folder named by <c>--data</c>.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="settings">The data options.</param>
    public static LoadedData Load(MLContext context, DataSettings settings)
    {
        _ = context;
        throw new CliException(ExitCode.Failure,
            $"--data '{settings.DataPath}' is a folder of IDX files; reading IDX folders needs the library's IDX loader, which this build does not have yet.");
    }
}
