using System.Numerics;
using System.Numerics.Tensors;

namespace MLNetJacobian.Network;

/// <summary>
/// Dropout (inverted): in training each element is kept with probability <c>1 - Rate</c> and scaled by
/// <c>1 / (1 - Rate)</c>, else zeroed; in inference the layer is the identity.
/// </summary>
/// <remarks>
/// The mask <c>m</c> (entries 0 or <c>1 / (1 - Rate)</c>; all 1 in inference) is drawn by <see cref="Forward"/> from
/// its random source and kept in the cache (<c>[rows, Width]</c>), so the backward pass, the VJP and its reverse all
/// see the same dropped-out network as the loss: the Jacobian penalty is that of the network that was evaluated.
/// <c>y = m * x</c> is linear: backward <c>dx += m * dy</c>, VJP <c>u = m * g</c>, reverse <c>gbar = m * ubar</c>,
/// no curvature term, no parameter.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class DropoutLayer<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _keepScale;

    /// <summary>Creates a dropout layer.</summary>
    /// <param name="width">Elements per row (at least 1).</param>
    /// <param name="rate">The probability of dropping each element in training, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A width below 1 or a rate outside [0, 1).</exception>
    public DropoutLayer(int width, double rate)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be at least 1.");
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must lie in [0, 1).");
        Width = width;
        Rate = rate;
        _keepScale = T.CreateTruncating(1.0 / (1.0 - rate));
    }

    /// <summary>Elements per row (input and output).</summary>
    public int Width { get; }

    /// <summary>The probability of dropping each element in training.</summary>
    public double Rate { get; }

    /// <inheritdoc />
    public int InputWidth => Width;

    /// <inheritdoc />
    public int OutputWidth => Width;

    /// <inheritdoc />
    public int ParameterCount => 0;

    /// <inheritdoc />
    public int CacheWidth => Width;

    /// <inheritdoc />
    public int ScratchLength => 0;

    /// <inheritdoc />
    public void Forward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, Span<T> output,
        Span<T> cache, int rows, Random? training)
    {
        int count = rows * Width;
        Span<T> mask = cache[..count];
        if (training is null)
        {
            mask.Fill(T.One);
            input[..count].CopyTo(output);
            return;
        }

        for (int j = 0; j < count; j++) mask[j] = training.NextDouble() < Rate ? T.Zero : _keepScale;
        TensorPrimitives.Multiply(input[..count], mask, output[..count]);
    }

    /// <inheritdoc />
    public void Backward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows)
    {
        int count = rows * Width;
        Span<T> gradient = inputGradient[..count];
        TensorPrimitives.MultiplyAdd(cache[..count], outputGradient[..count], gradient, gradient);
    }

    /// <inheritdoc />
    public void ComputeParameterGradient(LayerContext<T> context, ReadOnlySpan<T> inputs,
        ReadOnlySpan<T> outputGradients, int forwardRows, int vectorRows, Span<T> parameterGradient)
    {
    }

    /// <inheritdoc />
    public void Vjp(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputVectors, Span<T> inputVectors, int rows, int repeats)
    {
        int count = rows * Width;
        for (int p = 0; p < repeats; p++)
        {
            TensorPrimitives.Multiply(cache[..count], outputVectors.Slice(p * count, count), inputVectors.Slice(p * count, count));
        }
    }

    /// <inheritdoc />
    public void ReverseVjp(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputVectors, ReadOnlySpan<T> inputAdjoints, Span<T> outputAdjoints, Span<T> inputGradient,
        int rows, int repeats)
    {
        int count = rows * Width;
        for (int p = 0; p < repeats; p++)
        {
            TensorPrimitives.Multiply(cache[..count], inputAdjoints.Slice(p * count, count), outputAdjoints.Slice(p * count, count));
        }
    }
}
