namespace MLNetJacobian.Network;

/// <summary>How the weights of each dense layer are drawn (<see cref="BiasInitializer"/> says how the biases start).</summary>
public enum WeightInitializer
{
    /// <summary>
    /// Xavier/Glorot uniform: <c>W ~ U(-a, a)</c>, <c>a = sqrt(6 / (fan_in + fan_out))</c>. The reference
    /// implementation's choice and the default.
    /// </summary>
    XavierUniform,

    /// <summary>He (Kaiming) normal: <c>W ~ N(0, 2 / fan_in)</c>, suited to ReLU.</summary>
    HeNormal,
}
