namespace MLNetJacobian.Network;

/// <summary>How the biases of each dense layer start.</summary>
public enum BiasInitializer
{
    /// <summary>Every bias starts at 0.</summary>
    Zero,

    /// <summary>
    /// <c>b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))</c>: PyTorch's default for <c>nn.Linear</c>, which the reference
    /// implementation keeps (it re-initializes only the weights). On MNIST at lambda 0.1 it trains to about a point
    /// more test accuracy than zero biases (examples/MnistReference/RESULTS.md has the ablation).
    /// </summary>
    UniformFanIn,
}
