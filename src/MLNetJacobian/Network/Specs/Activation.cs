namespace MLNetJacobian.Network;

/// <summary>The element-wise nonlinearity applied after every hidden dense layer (the logits stay linear).</summary>
/// <remarks>
/// The Jacobian penalty's gradient involves the activation's second derivative <c>s''</c>: it is zero for ReLU
/// (almost everywhere), and non-zero for the smooth activations.
/// </remarks>
public enum Activation
{
    /// <summary><c>s(a) = max(0, a)</c>; <c>s'(a) = 1</c> for <c>a &gt; 0</c> else 0; <c>s'' = 0</c>.</summary>
    Relu,

    /// <summary><c>s(a) = tanh(a)</c>; <c>s' = 1 - s^2</c>; <c>s'' = -2 s s'</c>.</summary>
    Tanh,

    /// <summary><c>s(a) = log(1 + e^a)</c>; <c>s' = sigmoid(a)</c>; <c>s'' = sigmoid(a)(1 - sigmoid(a))</c>.</summary>
    Softplus,

    /// <summary>
    /// GELU in its exact form <c>s(a) = a Phi(a)</c> with the standard normal CDF <c>Phi</c>;
    /// <c>s' = Phi(a) + a phi(a)</c>; <c>s'' = (2 - a^2) phi(a)</c>.
    /// </summary>
    Gelu,
}
