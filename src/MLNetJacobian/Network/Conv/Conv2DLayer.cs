using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using MLNetJacobian.Compute;

namespace MLNetJacobian.Network;

/// <summary>
/// A 2-D convolution (cross-correlation, as PyTorch's <c>conv2d</c>) with zero padding and stride, on planar
/// images: <c>y[o, p] = b[o] + sum_(c, ky, kx) W[o, c, ky, kx] x[c, window(p) + (ky, kx)]</c>.
/// </summary>
/// <remarks>
/// <para>
/// Parameter slice: <c>W: [OutputChannels, InputChannels, KernelHeight, KernelWidth]</c> row-major (PyTorch's
/// layout; as a matrix <c>[OutputChannels, K]</c> with <c>K = InputChannels * KernelHeight * KernelWidth</c>), then
/// <c>b: [OutputChannels]</c>. Input row <c>[InputChannels, H, W]</c>, output row <c>[OutputChannels, H', W']</c>,
/// both planar. No cache.
/// </para>
/// <para>
/// Every pass goes through the GEMM on the column matrix <c>X_col [K, P]</c> of one row (<c>P = H' W'</c> window
/// positions), built in the context's scratch (<see cref="ScratchLength"/> = <c>K P</c>):
/// </para>
/// <list type="bullet">
/// <item>forward <c>Y = W X_col + b 1^T</c>;</item>
/// <item>backward <c>dX += col2im(W^T dY)</c>; VJP <c>U = col2im(W^T G)</c>;</item>
/// <item>reverse VJP <c>Gbar = W im2col(Ubar)</c> (no bias, no curvature term: linear in x);</item>
/// <item>parameter gradient <c>dW = sum over forward and vector rows of [dY | G] [X_col | Ubar_col]^T</c> (a GEMM
///   per row, or dot products of contiguous lines when positions outnumber window rows, <c>P &gt; K</c>), <c>db = sum over forward rows and positions of dY</c>.</item>
/// </list>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class Conv2DLayer<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ImageWindows _windows;

    /// <summary>Creates a convolution layer.</summary>
    /// <param name="input">The input image shape.</param>
    /// <param name="outputChannels">Output planes (at least 1).</param>
    /// <param name="kernelHeight">Kernel rows (at least 1).</param>
    /// <param name="kernelWidth">Kernel columns (at least 1).</param>
    /// <param name="strideHeight">Vertical step between windows (at least 1).</param>
    /// <param name="strideWidth">Horizontal step between windows (at least 1).</param>
    /// <param name="padHeight">Zero rows added above and below (0 or more).</param>
    /// <param name="padWidth">Zero columns added left and right (0 or more).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size out of range.</exception>
    /// <exception cref="ArgumentException">The kernel is larger than the padded input.</exception>
    public Conv2DLayer(ImageShape input, int outputChannels, int kernelHeight, int kernelWidth, int strideHeight = 1,
        int strideWidth = 1, int padHeight = 0, int padWidth = 0)
    {
        if (outputChannels < 1) throw new ArgumentOutOfRangeException(nameof(outputChannels), outputChannels, "A convolution needs at least 1 output channel.");
        GenericGemm.EnsureSupported<T>();
        _windows = new ImageWindows(input, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth);
        OutputChannels = outputChannels;
        OutputShape = _windows.OutputShape(outputChannels);
    }

    /// <summary>The input image shape.</summary>
    public ImageShape InputShape => _windows.Input;

    /// <summary>The output image shape.</summary>
    public ImageShape OutputShape { get; }

    /// <summary>Output planes.</summary>
    public int OutputChannels { get; }

    /// <summary>Number of weights, <c>OutputChannels * InputChannels * KernelHeight * KernelWidth</c>.</summary>
    public int WeightCount => OutputChannels * _windows.PatchSize;

    /// <inheritdoc />
    public int InputWidth => InputShape.FeatureCount;

    /// <inheritdoc />
    public int OutputWidth => OutputShape.FeatureCount;

    /// <inheritdoc />
    public int ParameterCount => WeightCount + OutputChannels;

    /// <inheritdoc />
    public int CacheWidth => 0;

    /// <inheritdoc />
    public int ScratchLength => _windows.PatchSize * _windows.OutputPlaneSize;

    /// <inheritdoc />
    public void Forward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, Span<T> output,
        Span<T> cache, int rows, Random? training)
    {
        ReadOnlySpan<T> biases = parameters.Slice(WeightCount, OutputChannels);
        int positions = _windows.OutputPlaneSize;
        for (int i = 0; i < rows; i++)
        {
            Span<T> row = output.Slice(i * OutputWidth, OutputWidth);
            ApplyKernel(context, parameters, input.Slice(i * InputWidth, InputWidth), row);
            for (int o = 0; o < OutputChannels; o++)
            {
                Span<T> plane = row.Slice(o * positions, positions);
                TensorPrimitives.Add(plane, biases[o], plane);
            }
        }
    }

    /// <inheritdoc />
    public void Backward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows)
    {
        for (int i = 0; i < rows; i++)
        {
            AddTransposedKernel(context, parameters, outputGradient.Slice(i * OutputWidth, OutputWidth),
                inputGradient.Slice(i * InputWidth, InputWidth));
        }
    }

    /// <inheritdoc />
    public void ComputeParameterGradient(LayerContext<T> context, ReadOnlySpan<T> inputs,
        ReadOnlySpan<T> outputGradients, int forwardRows, int vectorRows, Span<T> parameterGradient)
    {
        Debug.Assert(forwardRows >= 0 && vectorRows >= 0, "Row counts are non-negative.");
        int patch = _windows.PatchSize, positions = _windows.OutputPlaneSize;
        Span<T> weightGradient = parameterGradient[..WeightCount];
        Span<T> columns = context.Scratch[..ScratchLength];
        weightGradient.Clear();
        for (int i = 0; i < forwardRows + vectorRows; i++)
        {
            _windows.ImageToColumns(inputs.Slice(i * InputWidth, InputWidth), columns);
            ReadOnlySpan<T> outputGradient = outputGradients.Slice(i * OutputWidth, OutputWidth);
            if (positions > patch)
            {
                // dW [out, K] += dY_i [out, P] * X_col^T [P, K] as one dot product of two contiguous P-long lines per weight:
                // with few window rows and many positions (LeNet's first layer: K 25, P 784) the GEMM's packing costs more
                // than the product (conv-profile: 1.33x faster there, but 0.54x on the second layer, K 150 > P 100).
                for (int o = 0; o < OutputChannels; o++)
                {
                    ReadOnlySpan<T> plane = outputGradient.Slice(o * positions, positions);
                    Span<T> weights = weightGradient.Slice(o * patch, patch);
                    for (int k = 0; k < patch; k++) weights[k] += TensorPrimitives.Dot(plane, columns.Slice(k * positions, positions));
                }
            }
            else
            {
                // dW [out, K] += dY_i [out, P] * X_col^T [P, K]
                GenericGemm.Gemm(context.Gemm, MatrixTranspose.None, MatrixTranspose.Transpose, OutputChannels, patch, positions,
                    T.One, outputGradient, positions, columns, positions, T.One, weightGradient, patch);
            }
        }

        Span<T> biasGradient = parameterGradient.Slice(WeightCount, OutputChannels);
        for (int o = 0; o < OutputChannels; o++)
        {
            T sum = T.Zero;
            for (int i = 0; i < forwardRows; i++) sum += TensorPrimitives.Sum(outputGradients.Slice(i * OutputWidth + o * positions, positions));
            biasGradient[o] = sum;
        }
    }

    /// <inheritdoc />
    public void Vjp(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputVectors, Span<T> inputVectors, int rows, int repeats)
    {
        for (int r = 0; r < repeats * rows; r++)
        {
            Span<T> target = inputVectors.Slice(r * InputWidth, InputWidth);
            target.Clear();
            AddTransposedKernel(context, parameters, outputVectors.Slice(r * OutputWidth, OutputWidth), target);
        }
    }

    /// <inheritdoc />
    public void ReverseVjp(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputVectors, ReadOnlySpan<T> inputAdjoints, Span<T> outputAdjoints, Span<T> inputGradient,
        int rows, int repeats)
    {
        // Linear in x: gbar = (df/dx) ubar is the convolution without its bias; no curvature term.
        for (int r = 0; r < repeats * rows; r++)
        {
            ApplyKernel(context, parameters, inputAdjoints.Slice(r * InputWidth, InputWidth),
                outputAdjoints.Slice(r * OutputWidth, OutputWidth));
        }
    }

    /// <summary><c>y = W im2col(x)</c> for one row (no bias), overwriting <paramref name="output"/>.</summary>
    private void ApplyKernel(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> image, Span<T> output)
    {
        int patch = _windows.PatchSize, positions = _windows.OutputPlaneSize;
        Span<T> columns = context.Scratch[..ScratchLength];
        _windows.ImageToColumns(image, columns);
        // Y [out, P] = W [out, K] * X_col [K, P]
        GenericGemm.Gemm(context.Gemm, MatrixTranspose.None, MatrixTranspose.None, OutputChannels, positions, patch,
            T.One, parameters[..WeightCount], patch, columns, positions, T.Zero, output, positions);
    }

    /// <summary><c>x += col2im(W^T y)</c> for one row.</summary>
    private void AddTransposedKernel(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> outputVector, Span<T> image)
    {
        int patch = _windows.PatchSize, positions = _windows.OutputPlaneSize;
        Span<T> columns = context.Scratch[..ScratchLength];
        // Col [K, P] = W^T [K, out] * G [out, P]
        GenericGemm.Gemm(context.Gemm, MatrixTranspose.Transpose, MatrixTranspose.None, patch, positions, OutputChannels,
            T.One, parameters[..WeightCount], patch, outputVector, positions, T.Zero, columns, positions);
        _windows.AddColumnsToImage<T>(columns, image);
    }
}
