using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MLNetJacobian.Training;

/// <summary>
/// One SGD update as a single vectorized pass (<see cref="SgdOptimizer{T}"/> has the formulas), with the finiteness
/// check of the updated parameters folded in.
/// </summary>
/// <remarks>
/// Per element: <c>g = grad + weightDecay * p</c>; with momentum <c>b = g</c> (first step) or <c>b = mu * b + g</c>,
/// <c>u = g + mu * b</c> (Nesterov) or <c>b</c>; without momentum <c>u = g</c>; then <c>p = p + negativeRate * u</c>.
/// Finiteness: <c>p - p</c> is 0 for a finite <c>p</c> and NaN for an infinite or NaN one, so the sum of it over the
/// buffer is 0 exactly when every parameter is finite. The branches test loop-invariant flags.
/// </remarks>
internal readonly struct SgdStep<T>(T weightDecay, T momentum, T negativeRate, bool hasMomentum, bool isFirstStep, bool nesterov)
    : IParameterUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public bool Apply(Span<T> parameters, ReadOnlySpan<T> gradient, Span<T> firstState, Span<T> secondState) =>
        Apply(parameters, gradient, firstState);

    /// <summary>Updates <paramref name="parameters"/> (and <paramref name="momentumBuffer"/>); returns whether every updated parameter is finite.</summary>
    /// <param name="parameters">p: [P], updated in place.</param>
    /// <param name="gradient">grad: [P].</param>
    /// <param name="momentumBuffer">b: [P] with momentum, empty without.</param>
    public bool Apply(Span<T> parameters, ReadOnlySpan<T> gradient, Span<T> momentumBuffer)
    {
        Debug.Assert(gradient.Length == parameters.Length, "One gradient per parameter.");
        Debug.Assert(momentumBuffer.Length == (hasMomentum ? parameters.Length : 0), "The momentum buffer matches.");
        int count = parameters.Length, vectorEnd = 0;
        bool finite = true;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && count >= Vector<T>.Count)
        {
            Span<Vector<T>> p = MemoryMarshal.Cast<T, Vector<T>>(parameters);
            ReadOnlySpan<Vector<T>> grad = MemoryMarshal.Cast<T, Vector<T>>(gradient);
            Span<Vector<T>> b = MemoryMarshal.Cast<T, Vector<T>>(momentumBuffer);
            Vector<T> decay = new(weightDecay), mu = new(momentum), rate = new(negativeRate), check = Vector<T>.Zero;
            for (int v = 0; v < p.Length; v++)
            {
                Vector<T> current = p[v];
                Vector<T> g = grad[v] + decay * current;
                Vector<T> u = g;
                if (hasMomentum)
                {
                    Vector<T> buffer = isFirstStep ? g : mu * b[v] + g;
                    b[v] = buffer;
                    u = nesterov ? g + mu * buffer : buffer;
                }

                Vector<T> updated = current + rate * u;
                p[v] = updated;
                check += updated - updated;
            }

            finite = Vector.EqualsAll(check, Vector<T>.Zero);
            vectorEnd = p.Length * Vector<T>.Count;
        }

        for (int j = vectorEnd; j < count; j++)
        {
            T current = parameters[j];
            T g = gradient[j] + weightDecay * current;
            T u = g;
            if (hasMomentum)
            {
                T buffer = isFirstStep ? g : momentum * momentumBuffer[j] + g;
                momentumBuffer[j] = buffer;
                u = nesterov ? g + momentum * buffer : buffer;
            }

            T updated = current + negativeRate * u;
            parameters[j] = updated;
            finite &= T.IsFinite(updated);
        }

        return finite;
    }
}
