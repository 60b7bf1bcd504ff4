using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using MathNet.Numerics;

namespace MLNetJacobian.Network;

/// <summary>
/// The activation functions and their first two derivatives, evaluated together over a span (the scalar
/// definitions are in <see cref="Activation"/>).
/// </summary>
/// <remarks>
/// GELU needs the error function, which generic math lacks: it is evaluated in double precision with
/// MathNet.Numerics' <c>Erfc</c> (accurate to a few ulps) for float and double alike, as
/// <c>Phi(a) = erfc(-a / sqrt 2) / 2</c>, which keeps full relative precision in the far negative tail.
/// Softplus and its derivatives are written in the overflow-free forms
/// <c>s = max(a, 0) + log(1 + e^-|a|)</c>, <c>sigmoid(|a|) = 1 / (1 + e^-|a|)</c>, <c>sigmoid(-|a|) = e^-|a| / (1 + e^-|a|)</c>.
/// </remarks>
internal static class ActivationFunctions
{
    private const double InverseSqrtTwo = 0.70710678118654752440084436210485;
    private const double InverseSqrtTwoPi = 0.39894228040143267793994605993438;

    /// <summary>Whether the activation's second derivative is non-zero somewhere (it then enters the penalty gradient).</summary>
    public static bool IsCurved(Activation activation) => activation != Activation.Relu;

    /// <summary>
    /// Evaluates <c>s(a)</c> into <paramref name="values"/> and <c>s'(a)</c> into <paramref name="firstDerivatives"/>,
    /// and <c>s''(a)</c> into <paramref name="secondDerivatives"/> when the activation is curved.
    /// </summary>
    public static void Evaluate<T>(Activation activation, ReadOnlySpan<T> inputs, Span<T> values,
        Span<T> firstDerivatives, Span<T> secondDerivatives)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(values.Length >= inputs.Length && firstDerivatives.Length >= inputs.Length, "Outputs hold every input.");
        switch (activation)
        {
            case Activation.Relu:
                EvaluateRelu(inputs, values, firstDerivatives);
                break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(inputs, values);
                // s' = 1 - s^2, s'' = -2 s s'
                TensorPrimitives.Multiply(values[..inputs.Length], values[..inputs.Length], firstDerivatives);
                TensorPrimitives.Subtract(T.One, firstDerivatives[..inputs.Length], firstDerivatives);
                TensorPrimitives.Multiply(values[..inputs.Length], firstDerivatives[..inputs.Length], secondDerivatives);
                TensorPrimitives.Multiply(secondDerivatives[..inputs.Length], T.CreateTruncating(-2), secondDerivatives);
                break;
            case Activation.Softplus:
                EvaluateSoftplus(inputs, values, firstDerivatives, secondDerivatives);
                break;
            case Activation.Gelu:
                EvaluateGelu(inputs, values, firstDerivatives, secondDerivatives);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>
    /// ReLU in one vectorized pass: <c>s = a</c> where <c>a &gt; 0</c>, else 0 (NaN passes through, so a broken input
    /// stays visible); <c>s' = 1</c> where <c>a &gt; 0</c>, else 0 (the derivative at 0 is taken as 0).
    /// </summary>
    private static void EvaluateRelu<T>(ReadOnlySpan<T> inputs, Span<T> values, Span<T> firstDerivatives)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = inputs.Length, vectorEnd = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && count >= Vector<T>.Count)
        {
            ReadOnlySpan<Vector<T>> inputVectors = MemoryMarshal.Cast<T, Vector<T>>(inputs);
            Span<Vector<T>> valueVectors = MemoryMarshal.Cast<T, Vector<T>>(values[..count]);
            Span<Vector<T>> derivativeVectors = MemoryMarshal.Cast<T, Vector<T>>(firstDerivatives[..count]);
            for (int v = 0; v < inputVectors.Length; v++)
            {
                Vector<T> a = inputVectors[v];
                valueVectors[v] = Vector.ConditionalSelect(Vector.LessThanOrEqual(a, Vector<T>.Zero), Vector<T>.Zero, a);
                derivativeVectors[v] = Vector.ConditionalSelect(Vector.GreaterThan(a, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
            }

            vectorEnd = inputVectors.Length * Vector<T>.Count;
        }

        for (int j = vectorEnd; j < count; j++)
        {
            T a = inputs[j];
            values[j] = a <= T.Zero ? T.Zero : a;
            firstDerivatives[j] = a > T.Zero ? T.One : T.Zero;
        }
    }

    private static void EvaluateSoftplus<T>(ReadOnlySpan<T> inputs, Span<T> values, Span<T> firstDerivatives,
        Span<T> secondDerivatives)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < inputs.Length; j++)
        {
            T a = inputs[j];
            T decay = T.Exp(-T.Abs(a));                  // e^-|a| in (0, 1]
            T large = T.One / (T.One + decay);           // sigmoid(|a|)
            T small = decay * large;                     // sigmoid(-|a|)
            values[j] = T.Max(a, T.Zero) + T.LogP1(decay);
            firstDerivatives[j] = a >= T.Zero ? large : small;
            secondDerivatives[j] = large * small;
        }
    }

    private static void EvaluateGelu<T>(ReadOnlySpan<T> inputs, Span<T> values, Span<T> firstDerivatives,
        Span<T> secondDerivatives)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < inputs.Length; j++)
        {
            double a = double.CreateTruncating(inputs[j]);
            double cdf = 0.5 * SpecialFunctions.Erfc(-a * InverseSqrtTwo);   // Phi(a)
            double density = InverseSqrtTwoPi * Math.Exp(-0.5 * a * a);     // phi(a)
            values[j] = T.CreateTruncating(a * cdf);
            firstDerivatives[j] = T.CreateTruncating(cdf + a * density);
            secondDerivatives[j] = T.CreateTruncating((2.0 - a * a) * density);
        }
    }
}
