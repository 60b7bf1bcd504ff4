using System.Numerics;
using System.Numerics.Tensors;

namespace MLNetJacobian.Network;

/// <summary>The softmax cross-entropy of one row of logits, and its gradient, in the overflow-free form.</summary>
/// <remarks>
/// <c>CE(z, y) = logsumexp(z) - z_y</c> with <c>logsumexp(z) = m + log sum_j exp(z_j - m)</c>, <c>m = max_j z_j</c>;
/// <c>dCE/dz = softmax(z) - e_y</c>. The one implementation of the softmax cross-entropy: the training loss
/// (<see cref="Training.SoftmaxCrossEntropyLoss"/>) and the attacks' loss (<see cref="Robustness.CrossEntropyLoss"/>)
/// both call it.
/// </remarks>
internal static class SoftmaxCrossEntropy
{
    /// <summary>
    /// Returns <c>CE(z, y)</c> and writes <c>scale * (softmax(z) - e_y)</c> into <paramref name="gradient"/>.
    /// </summary>
    /// <param name="logits">One row <c>z: [C]</c>.</param>
    /// <param name="label">The class index <c>y</c>.</param>
    /// <param name="scale">Factor applied to the gradient (for example <c>w_i / sum w</c>).</param>
    /// <param name="gradient"><c>[C]</c>, overwritten; may not overlap <paramref name="logits"/>.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static T Compute<T>(ReadOnlySpan<T> logits, int label, T scale, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((uint)label >= (uint)logits.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"The label must lie in [0, {logits.Length}).");
        }

        if (gradient.Length < logits.Length)
        {
            throw new ArgumentException($"The gradient holds {gradient.Length} elements; {logits.Length} are needed.", nameof(gradient));
        }

        Span<T> exponentials = gradient[..logits.Length];
        T sum = ShiftedExponentials(logits, exponentials, out T max);
        TensorPrimitives.Multiply(exponentials, scale / sum, exponentials);

        // The true class's component is minus the sum of the others rather than scale * (softmax(z)_y - 1): on a
        // confidently classified row softmax(z)_y rounds to 1 in float, the difference would vanish and the gradient
        // would point the wrong way (a numerical form of gradient masking that would weaken the attacks).
        exponentials[label] = T.Zero;
        exponentials[label] = -TensorPrimitives.Sum<T>(exponentials);
        return max + T.Log(sum) - logits[label];
    }

    /// <summary>Writes <c>softmax(z)</c>, computed with the largest logit subtracted (no overflow).</summary>
    /// <param name="logits">One row <c>z: [C]</c>.</param>
    /// <param name="probabilities"><c>[C]</c>, overwritten; may be <paramref name="logits"/> itself.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static void Softmax<T>(ReadOnlySpan<T> logits, Span<T> probabilities) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (probabilities.Length < logits.Length)
        {
            throw new ArgumentException($"The destination holds {probabilities.Length} elements; {logits.Length} are needed.", nameof(probabilities));
        }

        Span<T> exponentials = probabilities[..logits.Length];
        T sum = ShiftedExponentials(logits, exponentials, out _);
        TensorPrimitives.Divide(exponentials, sum, exponentials);
    }

    /// <summary>Writes <c>exp(z_j - m)</c>, <c>m = max_j z_j</c>, and returns their sum.</summary>
    private static T ShiftedExponentials<T>(ReadOnlySpan<T> logits, Span<T> exponentials, out T max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, exponentials);
        TensorPrimitives.Exp(exponentials, exponentials);
        return TensorPrimitives.Sum<T>(exponentials);
    }

    /// <summary>Returns <c>CE(z, y)</c> alone.</summary>
    /// <param name="logits">One row <c>z: [C]</c>.</param>
    /// <param name="label">The class index <c>y</c>.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static T Loss<T>(ReadOnlySpan<T> logits, int label) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((uint)label >= (uint)logits.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"The label must lie in [0, {logits.Length}).");
        }

        T max = TensorPrimitives.Max(logits);
        T sum = T.Zero;
        foreach (T z in logits) sum += T.Exp(z - max);
        return max + T.Log(sum) - logits[label];
    }
}
