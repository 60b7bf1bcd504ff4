using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>
/// The supported ML.NET range (6.0.x, as the README states) and the one reflection into ML.NET's internals: the
/// catalog extension reaches the MLContext through <c>IInternalCatalog.Environment</c>, or fails with a clear message.
/// </summary>
public sealed class SupportedMlNetTests
{
    [Fact]
    public void MlNetVersion_IsTheSupportedMajorVersion()
    {
        string version = typeof(MLContext).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.True(version.StartsWith("6.0.", StringComparison.Ordinal), $"the README states ML.NET 6.0.x as the supported range; this build runs {version}");
    }

    [Fact]
    public void EnvironmentOf_MulticlassCatalog_ReachesTheContextThroughIInternalCatalog()
    {
        var context = new MLContext(seed: 1);

        IHostEnvironment environment = JacobianRegularizedCatalog.EnvironmentOf(context.MulticlassClassification.Trainers);

        Assert.NotNull(environment);
        Assert.NotNull(environment.Register("probe"));
    }

    [Fact]
    public void EnvironmentOf_ObjectWithoutIInternalCatalog_ClearMessageNamingTheAlternative()
    {
        var error = Assert.Throws<InvalidOperationException>(() => JacobianRegularizedCatalog.EnvironmentOf(new object()));

        Assert.Contains("IInternalCatalog.Environment", error.Message, StringComparison.Ordinal);
        Assert.Contains("new JacobianRegularizedTrainer(mlContext, options)", error.Message, StringComparison.Ordinal);
    }
}
