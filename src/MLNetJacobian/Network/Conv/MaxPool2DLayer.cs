using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>
/// Max pooling over windows of each plane (no padding): <c>y[c, p] = max over window(p) of x[c, .]</c>.
/// </summary>
/// <remarks>
/// <para>
/// Ties go to the first position of the window in row-major order (top row first, left to right), as PyTorch's
/// <c>max_pool2d</c> does: after ReLU a window of zeros passes its gradient to its top-left pixel only. A NaN in a
/// window is propagated (it wins over every number), also as in PyTorch.
/// </para>
/// <para>
/// The layer is piecewise linear: <c>df/dx</c> selects the winning pixel of each window, which the cache records
/// (<c>[rows, OutputWidth]</c>, the index of the winner within the input row). Backward and the VJP scatter each
/// output entry onto its winner; the reverse VJP gathers <c>gbar[c, p] = ubar[winner]</c>; there is no curvature
/// term and no parameter.
/// </para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class MaxPool2DLayer<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ImageWindows _windows;

    /// <summary>Creates a max-pooling layer.</summary>
    /// <param name="input">The input image shape.</param>
    /// <param name="kernelHeight">Window rows (at least 1).</param>
    /// <param name="kernelWidth">Window columns (at least 1).</param>
    /// <param name="strideHeight">Vertical step between windows (at least 1).</param>
    /// <param name="strideWidth">Horizontal step between windows (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size out of range.</exception>
    /// <exception cref="ArgumentException">The window is larger than the input (the pool would leave nothing).</exception>
    public MaxPool2DLayer(ImageShape input, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth)
    {
        _windows = new ImageWindows(input, kernelHeight, kernelWidth, strideHeight, strideWidth, 0, 0);
        OutputShape = _windows.OutputShape(input.Channels);
    }

    /// <summary>The input image shape.</summary>
    public ImageShape InputShape => _windows.Input;

    /// <summary>The output image shape (same channels).</summary>
    public ImageShape OutputShape { get; }

    /// <inheritdoc />
    public int InputWidth => InputShape.FeatureCount;

    /// <inheritdoc />
    public int OutputWidth => OutputShape.FeatureCount;

    /// <inheritdoc />
    public int ParameterCount => 0;

    /// <inheritdoc />
    public int CacheWidth => OutputWidth;

    /// <inheritdoc />
    public int ScratchLength => 0;

    /// <inheritdoc />
    public void Forward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, Span<T> output,
        Span<T> cache, int rows, Random? training)
    {
        int inWidth = InputShape.Width, planeSize = InputShape.PlaneSize;
        int outHeight = _windows.OutputHeight, outWidth = _windows.OutputWidth;
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<T> image = input.Slice(i * InputWidth, InputWidth);
            Span<T> result = output.Slice(i * OutputWidth, OutputWidth);
            Span<T> winners = cache.Slice(i * OutputWidth, OutputWidth);
            int o = 0;
            for (int c = 0; c < InputShape.Channels; c++)
            {
                for (int oy = 0; oy < outHeight; oy++)
                {
                    for (int ox = 0; ox < outWidth; ox++, o++)
                    {
                        int top = c * planeSize + oy * _windows.StrideHeight * inWidth + ox * _windows.StrideWidth;
                        int best = top;
                        T bestValue = image[top];
                        for (int ky = 0; ky < _windows.KernelHeight; ky++)
                        {
                            int line = top + ky * inWidth;
                            for (int kx = 0; kx < _windows.KernelWidth; kx++)
                            {
                                // Strictly greater: the first of equal values keeps the window (PyTorch's rule).
                                T value = image[line + kx];
                                if (value > bestValue || T.IsNaN(value))
                                {
                                    bestValue = value;
                                    best = line + kx;
                                }
                            }
                        }

                        result[o] = bestValue;
                        winners[o] = T.CreateTruncating(best);
                    }
                }
            }

        }
    }

    /// <inheritdoc />
    public void Backward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows)
    {
        for (int i = 0; i < rows; i++)
        {
            Scatter(cache.Slice(i * OutputWidth, OutputWidth), outputGradient.Slice(i * OutputWidth, OutputWidth),
                inputGradient.Slice(i * InputWidth, InputWidth));
        }
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
        for (int p = 0; p < repeats; p++)
        {
            for (int i = 0; i < rows; i++)
            {
                int r = p * rows + i;
                Span<T> target = inputVectors.Slice(r * InputWidth, InputWidth);
                target.Clear();
                Scatter(cache.Slice(i * OutputWidth, OutputWidth), outputVectors.Slice(r * OutputWidth, OutputWidth), target);
            }
        }
    }

    /// <inheritdoc />
    public void ReverseVjp(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputVectors, ReadOnlySpan<T> inputAdjoints, Span<T> outputAdjoints, Span<T> inputGradient,
        int rows, int repeats)
    {
        for (int p = 0; p < repeats; p++)
        {
            for (int i = 0; i < rows; i++)
            {
                int r = p * rows + i;
                ReadOnlySpan<T> winners = cache.Slice(i * OutputWidth, OutputWidth);
                ReadOnlySpan<T> source = inputAdjoints.Slice(r * InputWidth, InputWidth);
                Span<T> target = outputAdjoints.Slice(r * OutputWidth, OutputWidth);
                for (int o = 0; o < target.Length; o++) target[o] = source[int.CreateTruncating(winners[o])];
            }
        }
    }

    private static void Scatter(ReadOnlySpan<T> winners, ReadOnlySpan<T> values, Span<T> target)
    {
        for (int o = 0; o < values.Length; o++) target[int.CreateTruncating(winners[o])] += values[o];
    }
}
