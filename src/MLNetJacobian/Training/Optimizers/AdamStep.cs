using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MLNetJacobian.Training;

/// <summary>
/// One Adam update as a single vectorized pass (<see cref="AdamOptimizer{T}"/> has the formulas), with the finiteness
/// check of the updated parameters folded in.
/// </summary>
/// <remarks>
/// Per element, in this order: <c>g = grad + weightDecay * p</c>; <c>m = beta1 * m + (1 - beta1) * g</c>;
/// <c>v = beta2 * v + (1 - beta2) * g^2</c>; <c>p = p + negativeStepSize * m / (sqrt(v) * inverseRootCorrection2 + epsilon)</c>
/// with <c>negativeStepSize = -lr / (1 - beta1^t)</c> and <c>inverseRootCorrection2 = 1 / sqrt(1 - beta2^t)</c>.
/// Finiteness as in <see cref="SgdStep{T}"/>: the sum of <c>p - p</c> is 0 exactly when every parameter is finite.
/// </remarks>
internal readonly struct AdamStep<T>(T weightDecay, T beta1, T oneMinusBeta1, T beta2, T oneMinusBeta2,
    T inverseRootCorrection2, T epsilon, T negativeStepSize) : IParameterUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Updates <paramref name="parameters"/>, <paramref name="firstMoment"/> and <paramref name="secondMoment"/>; returns whether every updated parameter is finite.</summary>
    /// <param name="parameters">p: [P], updated in place.</param>
    /// <param name="gradient">grad: [P].</param>
    /// <param name="firstMoment">m: [P].</param>
    /// <param name="secondMoment">v: [P].</param>
    public bool Apply(Span<T> parameters, ReadOnlySpan<T> gradient, Span<T> firstMoment, Span<T> secondMoment)
    {
        Debug.Assert(gradient.Length == parameters.Length && firstMoment.Length == parameters.Length
            && secondMoment.Length == parameters.Length, "Every buffer holds one value per parameter.");
        int count = parameters.Length, vectorEnd = 0;
        bool finite = true;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && count >= Vector<T>.Count)
        {
            Span<Vector<T>> p = MemoryMarshal.Cast<T, Vector<T>>(parameters);
            ReadOnlySpan<Vector<T>> grad = MemoryMarshal.Cast<T, Vector<T>>(gradient);
            Span<Vector<T>> m = MemoryMarshal.Cast<T, Vector<T>>(firstMoment);
            Span<Vector<T>> v = MemoryMarshal.Cast<T, Vector<T>>(secondMoment);
            Vector<T> decay = new(weightDecay), b1 = new(beta1), c1 = new(oneMinusBeta1), b2 = new(beta2), c2 = new(oneMinusBeta2);
            Vector<T> root = new(inverseRootCorrection2), eps = new(epsilon), rate = new(negativeStepSize), check = Vector<T>.Zero;
            for (int k = 0; k < p.Length; k++)
            {
                Vector<T> current = p[k];
                Vector<T> g = grad[k] + decay * current;
                Vector<T> first = m[k] * b1 + g * c1;
                Vector<T> second = v[k] * b2 + g * g * c2;
                m[k] = first;
                v[k] = second;
                Vector<T> updated = current + rate * (first / (Vector.SquareRoot(second) * root + eps));
                p[k] = updated;
                check += updated - updated;
            }

            finite = Vector.EqualsAll(check, Vector<T>.Zero);
            vectorEnd = p.Length * Vector<T>.Count;
        }

        for (int j = vectorEnd; j < count; j++)
        {
            T current = parameters[j];
            T g = gradient[j] + weightDecay * current;
            T first = firstMoment[j] * beta1 + g * oneMinusBeta1;
            T second = secondMoment[j] * beta2 + g * g * oneMinusBeta2;
            firstMoment[j] = first;
            secondMoment[j] = second;
            T updated = current + negativeStepSize * (first / (T.Sqrt(second) * inverseRootCorrection2 + epsilon));
            parameters[j] = updated;
            finite &= T.IsFinite(updated);
        }

        return finite;
    }
}
