using System.Numerics;
using System.Numerics.Tensors;

namespace MLNetJacobian.Network;

/// <summary>
/// Average pooling over windows of each plane (no padding): <c>y[c, p] = (1 / (kh kw)) sum over window(p) of x[c, .]</c>.
/// Global average pooling is the case whose window is the whole plane (<see cref="Global"/>).
/// </summary>
/// <remarks>
/// Linear in x, no parameter, no cache: backward and the VJP spread each output entry evenly over its window, the
/// reverse VJP averages the adjoint over the windows, and there is no curvature term.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class AvgPool2DLayer<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ImageWindows _windows;
    private readonly T _scale;

    /// <summary>Creates an average-pooling layer.</summary>
    /// <param name="input">The input image shape.</param>
    /// <param name="kernelHeight">Window rows (at least 1).</param>
    /// <param name="kernelWidth">Window columns (at least 1).</param>
    /// <param name="strideHeight">Vertical step between windows (at least 1).</param>
    /// <param name="strideWidth">Horizontal step between windows (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size out of range.</exception>
    /// <exception cref="ArgumentException">The window is larger than the input (the pool would leave nothing).</exception>
    public AvgPool2DLayer(ImageShape input, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth)
    {
        _windows = new ImageWindows(input, kernelHeight, kernelWidth, strideHeight, strideWidth, 0, 0);
        OutputShape = _windows.OutputShape(input.Channels);
        _scale = T.One / T.CreateTruncating(_windows.WindowSize);
    }

    /// <summary>Global average pooling: one mean per channel, <c>[C, H, W] -> [C, 1, 1]</c>.</summary>
    /// <param name="input">The input image shape.</param>
    public static AvgPool2DLayer<T> Global(ImageShape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new AvgPool2DLayer<T>(input, input.Height, input.Width, 1, 1);
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
    public int CacheWidth => 0;

    /// <inheritdoc />
    public int ScratchLength => 0;

    /// <inheritdoc />
    public void Forward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, Span<T> output,
        Span<T> cache, int rows, Random? training)
    {
        for (int i = 0; i < rows; i++) Average(input.Slice(i * InputWidth, InputWidth), output.Slice(i * OutputWidth, OutputWidth));
    }

    /// <inheritdoc />
    public void Backward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows)
    {
        for (int i = 0; i < rows; i++) Spread(outputGradient.Slice(i * OutputWidth, OutputWidth), inputGradient.Slice(i * InputWidth, InputWidth));
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
        for (int r = 0; r < repeats * rows; r++)
        {
            Span<T> target = inputVectors.Slice(r * InputWidth, InputWidth);
            target.Clear();
            Spread(outputVectors.Slice(r * OutputWidth, OutputWidth), target);
        }
    }

    /// <inheritdoc />
    public void ReverseVjp(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputVectors, ReadOnlySpan<T> inputAdjoints, Span<T> outputAdjoints, Span<T> inputGradient,
        int rows, int repeats)
    {
        for (int r = 0; r < repeats * rows; r++) Average(inputAdjoints.Slice(r * InputWidth, InputWidth), outputAdjoints.Slice(r * OutputWidth, OutputWidth));
    }

    /// <summary>One row: each output entry is the mean of its window; overwrites <paramref name="output"/>.</summary>
    private void Average(ReadOnlySpan<T> image, Span<T> output)
    {
        for (int o = 0; o < output.Length; o++)
        {
            int top = WindowTop(o);
            T sum = T.Zero;
            for (int ky = 0; ky < _windows.KernelHeight; ky++)
            {
                sum += TensorPrimitives.Sum(image.Slice(top + ky * InputShape.Width, _windows.KernelWidth));
            }

            output[o] = sum * _scale;
        }
    }

    /// <summary>One row: adds each output entry, divided by the window size, onto every pixel of its window.</summary>
    private void Spread(ReadOnlySpan<T> values, Span<T> image)
    {
        for (int o = 0; o < values.Length; o++)
        {
            int top = WindowTop(o);
            T share = values[o] * _scale;
            for (int ky = 0; ky < _windows.KernelHeight; ky++)
            {
                Span<T> line = image.Slice(top + ky * InputShape.Width, _windows.KernelWidth);
                TensorPrimitives.Add(line, share, line);
            }
        }
    }

    /// <summary>The index in the input row of the top-left pixel of output entry <paramref name="o"/>'s window.</summary>
    private int WindowTop(int o)
    {
        int positions = _windows.OutputPlaneSize;
        int c = o / positions, oy = o % positions / _windows.OutputWidth, ox = o % _windows.OutputWidth;
        return c * InputShape.PlaneSize + oy * _windows.StrideHeight * InputShape.Width + ox * _windows.StrideWidth;
    }
}
