using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using MLNetJacobian.Compute;

namespace MLNetJacobian.Network;

/// <summary>An affine layer <c>y = W x + b</c>, row by row.</summary>
/// <remarks>
/// <para>Parameter slice: <c>W: [OutputWidth, InputWidth]</c> row-major, then <c>b: [OutputWidth]</c>.</para>
/// <para>Per batch (<c>X: [rows, in]</c>, <c>Y: [rows, out]</c>):</para>
/// <list type="bullet">
/// <item>forward <c>Y = X W^T + 1 b^T</c>;</item>
/// <item>backward <c>dX += dY W</c>;</item>
/// <item>parameter gradient <c>dW += [dY; g]^T [X; ubar]</c> (one GEMM over the forward and vector rows),
///   <c>db += sum over forward rows of dY</c> (the penalty's bias gradient arrives through <c>dY</c>);</item>
/// <item>VJP <c>U = G W</c>; reverse VJP <c>Gbar = Ubar W^T</c>, no curvature term (linear in x).</item>
/// </list>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class DenseLayer<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a dense layer of the given shape.</summary>
    /// <param name="inputWidth">Inputs per row (at least 1).</param>
    /// <param name="outputWidth">Outputs per row (at least 1).</param>
    public DenseLayer(int inputWidth, int outputWidth)
    {
        if (inputWidth < 1) throw new ArgumentOutOfRangeException(nameof(inputWidth), inputWidth, "The input width must be at least 1.");
        if (outputWidth < 1) throw new ArgumentOutOfRangeException(nameof(outputWidth), outputWidth, "The output width must be at least 1.");
        GenericGemm.EnsureSupported<T>();
        InputWidth = inputWidth;
        OutputWidth = outputWidth;
    }

    /// <inheritdoc />
    public int InputWidth { get; }

    /// <inheritdoc />
    public int OutputWidth { get; }

    /// <summary>Number of weights, <c>OutputWidth * InputWidth</c>.</summary>
    public int WeightCount => OutputWidth * InputWidth;

    /// <inheritdoc />
    public int ParameterCount => WeightCount + OutputWidth;

    /// <inheritdoc />
    public int ScratchLength => 0;

    /// <inheritdoc />
    public int CacheWidth => 0;

    /// <inheritdoc />
    public void Forward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, Span<T> output,
        Span<T> cache, int rows, Random? training)
    {
        int inWidth = InputWidth, outWidth = OutputWidth;
        ReadOnlySpan<T> weights = parameters[..WeightCount];        // W: [out, in]
        ReadOnlySpan<T> biases = parameters.Slice(WeightCount, outWidth); // b: [out]
        // Y: [rows, out] = X [rows, in] * W^T
        GenericGemm.Gemm(context.Gemm, MatrixTranspose.None, MatrixTranspose.Transpose, rows, outWidth, inWidth,
            T.One, input, inWidth, weights, inWidth, T.Zero, output, outWidth);
        for (int i = 0; i < rows; i++)
        {
            Span<T> row = output.Slice(i * outWidth, outWidth);
            TensorPrimitives.Add(row, biases, row);
        }
    }

    /// <inheritdoc />
    public void Backward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows)
    {
        // dX: [rows, in] += dY [rows, out] * W [out, in]
        GenericGemm.Gemm(context.Gemm, MatrixTranspose.None, MatrixTranspose.None, rows, InputWidth, OutputWidth,
            T.One, outputGradient, OutputWidth, parameters[..WeightCount], InputWidth, T.One, inputGradient, InputWidth);
    }

    /// <inheritdoc />
    public void ComputeParameterGradient(LayerContext<T> context, ReadOnlySpan<T> inputs,
        ReadOnlySpan<T> outputGradients, int forwardRows, int vectorRows, Span<T> parameterGradient)
    {
        Debug.Assert(forwardRows >= 0 && vectorRows >= 0, "Row counts are non-negative.");
        int inWidth = InputWidth, outWidth = OutputWidth, allRows = forwardRows + vectorRows;
        // dW: [out, in] = [dY; g]^T [out, allRows] * [X; ubar] [allRows, in] (beta 0: the slice is not read)
        GenericGemm.Gemm(context.Gemm, MatrixTranspose.Transpose, MatrixTranspose.None, outWidth, inWidth, allRows,
            T.One, outputGradients, outWidth, inputs, inWidth, T.Zero, parameterGradient[..WeightCount], inWidth);
        Span<T> biasGradient = parameterGradient.Slice(WeightCount, outWidth);   // db: [out] = sum over forward rows of dY
        biasGradient.Clear();
        for (int i = 0; i < forwardRows; i++)
        {
            TensorPrimitives.Add(biasGradient, outputGradients.Slice(i * outWidth, outWidth), biasGradient);
        }
    }

    /// <inheritdoc />
    public void Vjp(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputVectors, Span<T> inputVectors, int rows, int repeats)
    {
        // U: [repeats*rows, in] = G [repeats*rows, out] * W [out, in]
        GenericGemm.Gemm(context.Gemm, MatrixTranspose.None, MatrixTranspose.None, repeats * rows, InputWidth, OutputWidth,
            T.One, outputVectors, OutputWidth, parameters[..WeightCount], InputWidth, T.Zero, inputVectors, InputWidth);
    }

    /// <inheritdoc />
    public void ReverseVjp(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputVectors, ReadOnlySpan<T> inputAdjoints, Span<T> outputAdjoints, Span<T> inputGradient,
        int rows, int repeats)
    {
        // Gbar: [repeats*rows, out] = Ubar [repeats*rows, in] * W^T; the layer is linear in x, so no curvature term.
        GenericGemm.Gemm(context.Gemm, MatrixTranspose.None, MatrixTranspose.Transpose, repeats * rows, OutputWidth, InputWidth,
            T.One, inputAdjoints, InputWidth, parameters[..WeightCount], InputWidth, T.Zero, outputAdjoints, OutputWidth);
    }
}
