using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests;

public class AssemblyDependenciesTests
{
    [Fact]
    public void LibraryAssembly_ReferencesNoGraphicsLibrary()
    {
        // Figures live in MLNetJacobian.Plotting: a service that only trains and scores ships no native graphics stack.
        string[] referenced = typeof(JacobianRegularizedTrainer).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        Assert.Contains("Microsoft.ML.Data", referenced);
        Assert.DoesNotContain(referenced, name => name.StartsWith("ScottPlot", StringComparison.Ordinal) || name.StartsWith("SkiaSharp", StringComparison.Ordinal));
    }
}
