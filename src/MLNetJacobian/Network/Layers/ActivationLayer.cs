using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;

namespace MLNetJacobian.Network;

/// <summary>An element-wise nonlinearity <c>h = s(a)</c>; no parameters.</summary>
/// <remarks>
/// <para>Cache per row: <c>[s'(a) (width) | s''(a) (width)]</c>; ReLU keeps only <c>s'</c> (its <c>s''</c> is 0).</para>
/// <list type="bullet">
/// <item>forward <c>h = s(a)</c>; backward <c>da += s'(a) * dh</c>;</item>
/// <item>VJP <c>g = s'(a) * u</c> (<c>u</c> the vector at <c>h</c>, <c>g</c> the vector at <c>a</c>);</item>
/// <item>reverse VJP, given <c>gbar</c> (the adjoint at <c>a</c>): <c>ubar = s'(a) * gbar</c> and the curvature term
///   <c>abar = s''(a) * u * gbar</c>, summed over the vector blocks of a row and added into <c>da</c> of that row.</item>
/// </list>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class ActivationLayer<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly bool _isCurved;

    /// <summary>Creates an activation layer.</summary>
    /// <param name="activation">The nonlinearity.</param>
    /// <param name="width">Elements per row (at least 1).</param>
    public ActivationLayer(Activation activation, int width)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be at least 1.");
        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        GenericGemm.EnsureSupported<T>();
        Activation = activation;
        Width = width;
        _isCurved = ActivationFunctions.IsCurved(activation);
    }

    /// <summary>The nonlinearity.</summary>
    public Activation Activation { get; }

    /// <summary>Elements per row (input and output).</summary>
    public int Width { get; }

    /// <inheritdoc />
    public int InputWidth => Width;

    /// <inheritdoc />
    public int OutputWidth => Width;

    /// <inheritdoc />
    public int ParameterCount => 0;

    /// <inheritdoc />
    public int ScratchLength => 0;

    /// <inheritdoc />
    public int CacheWidth => _isCurved ? 2 * Width : Width;

    /// <inheritdoc />
    public void Forward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, Span<T> output,
        Span<T> cache, int rows, Random? training)
    {
        int width = Width, cacheWidth = CacheWidth;
        if (!_isCurved)
        {
            // The cache [rows, width] is contiguous like the values: one pass over the whole block.
            ActivationFunctions.Evaluate(Activation, input[..(rows * width)], output, cache, Span<T>.Empty);
            return;
        }

        for (int i = 0; i < rows; i++)
        {
            Span<T> cacheRow = cache.Slice(i * cacheWidth, cacheWidth);
            ActivationFunctions.Evaluate(Activation, input.Slice(i * width, width), output.Slice(i * width, width),
                cacheRow[..width], _isCurved ? cacheRow[width..] : Span<T>.Empty);
        }
    }

    /// <inheritdoc />
    public void Backward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows)
    {
        int width = Width, cacheWidth = CacheWidth;
        if (!_isCurved)
        {
            Span<T> gradientBlock = inputGradient[..(rows * width)];
            TensorPrimitives.MultiplyAdd(cache[..(rows * width)], outputGradient[..(rows * width)], gradientBlock, gradientBlock);
            return;
        }

        for (int i = 0; i < rows; i++)
        {
            Span<T> gradientRow = inputGradient.Slice(i * width, width);
            TensorPrimitives.MultiplyAdd(cache.Slice(i * cacheWidth, width), outputGradient.Slice(i * width, width),
                gradientRow, gradientRow);
        }
    }

    /// <inheritdoc />
    public void ComputeParameterGradient(LayerContext<T> context, ReadOnlySpan<T> inputs,
        ReadOnlySpan<T> outputGradients, int forwardRows, int vectorRows, Span<T> parameterGradient)
    {
        Debug.Assert(parameterGradient.IsEmpty, "An activation layer has no parameters.");
    }

    /// <inheritdoc />
    public void Vjp(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputVectors, Span<T> inputVectors, int rows, int repeats)
    {
        int width = Width, cacheWidth = CacheWidth;
        for (int p = 0; p < repeats; p++)
        {
            if (!_isCurved)
            {
                // Block p of the vector rows lines up with the contiguous cache [rows, width].
                int blockOffset = p * rows * width;
                TensorPrimitives.Multiply(cache[..(rows * width)], outputVectors.Slice(blockOffset, rows * width),
                    inputVectors.Slice(blockOffset, rows * width));
                continue;
            }

            for (int i = 0; i < rows; i++)
            {
                int offset = (p * rows + i) * width;
                TensorPrimitives.Multiply(cache.Slice(i * cacheWidth, width), outputVectors.Slice(offset, width),
                    inputVectors.Slice(offset, width));
            }
        }
    }

    /// <inheritdoc />
    public void ReverseVjp(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputVectors, ReadOnlySpan<T> inputAdjoints, Span<T> outputAdjoints, Span<T> inputGradient,
        int rows, int repeats)
    {
        int width = Width, cacheWidth = CacheWidth;
        for (int p = 0; p < repeats; p++)
        {
            if (!_isCurved)
            {
                // s'' = 0: no curvature term, only ubar = s'(a) * gbar over the whole block.
                int blockOffset = p * rows * width;
                TensorPrimitives.Multiply(cache[..(rows * width)], inputAdjoints.Slice(blockOffset, rows * width),
                    outputAdjoints.Slice(blockOffset, rows * width));
                continue;
            }

            for (int i = 0; i < rows; i++)
            {
                int offset = (p * rows + i) * width;
                ReadOnlySpan<T> firstDerivative = cache.Slice(i * cacheWidth, width);   // s'(a_i)
                ReadOnlySpan<T> gbar = inputAdjoints.Slice(offset, width);
                Span<T> ubar = outputAdjoints.Slice(offset, width);
                // abar_i += s''(a_i) * u * gbar, with u * gbar staged in the ubar row before it is overwritten.
                ReadOnlySpan<T> secondDerivative = cache.Slice(i * cacheWidth + width, width);
                Span<T> gradientRow = inputGradient.Slice(i * width, width);
                TensorPrimitives.Multiply(outputVectors.Slice(offset, width), gbar, ubar);
                TensorPrimitives.MultiplyAdd(ubar, secondDerivative, gradientRow, gradientRow);
                TensorPrimitives.Multiply(firstDerivative, gbar, ubar);
            }
        }
    }
}
