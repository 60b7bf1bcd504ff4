using System.Reflection;
using Microsoft.ML;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>Load failures read as their cause, not as ML.NET's instantiation or invocation wrappers.</summary>
public sealed class ModelLoadErrorsTests
{
    [Fact]
    public void Unwrap_InvocationAndInstantiationWrappers_MessageNamesFileAndCause()
    {
        var cause = new FormatException("the weight block holds 12 values, 640 expected");
        var wrapped = new TargetInvocationException(new InvalidOperationException("Error during class instantiation", cause));

        var error = Assert.Throws<InvalidDataException>(() => ModelLoadErrors.Unwrap<int>("model.zip", () => throw wrapped));

        Assert.Equal("The model 'model.zip' could not be loaded: the weight block holds 12 values, 640 expected", error.Message);
        Assert.Same(wrapped, error.InnerException);
    }

    [Fact]
    public void Load_FileThatIsNotAModel_ThrowsInvalidDataNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.zip");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8]);
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => JacobianRegularizedModel.Load(new MLContext(seed: 1), path, out _));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("target of an invocation", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("class instantiation", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
