using System.Numerics;

namespace MLNetJacobian.Network;

/// <summary>
/// One stage <c>y = f(x; theta)</c> of a feedforward network, acting on a batch of rows, with the four passes the
/// Jacobian-regularized objective needs: forward, backward, the vector-Jacobian product (VJP) and its reverse.
/// </summary>
/// <remarks>
/// <para>
/// Every matrix is row-major: <c>x: [rows, InputWidth]</c>, <c>y: [rows, OutputWidth]</c>. Spans may be longer
/// than needed; a layer reads and writes only the leading rows it is told about. A layer owns no buffers and no
/// parameters: it receives its slice of the network's parameter buffer, its slice of the gradient buffer, a
/// per-row cache (<c>[rows, CacheWidth]</c>) that <see cref="Forward"/> fills and the other passes read, and a
/// <see cref="LayerContext{T}"/> (the GEMM provider and <see cref="ScratchLength"/> elements of scratch) from the
/// worker that runs the pass. Layers hold no mutable state, so one network serves any number of workers.
/// </para>
/// <para>
/// Randomness (dropout) enters only through <see cref="Forward"/>: with a random source the pass runs in training
/// mode and records what it drew in the cache, so every later pass over those rows (backward, the VJP, its
/// reverse) sees the same network; without one it runs in inference mode.
/// </para>
/// <para>
/// Vector passes run on <c>repeats * rows</c> vector rows, stacked as <c>repeats</c> blocks of <c>rows</c>:
/// vector row <c>p * rows + i</c> belongs to forward row <c>i</c> (its Jacobian is the one at <c>x_i</c>).
/// With the VJP <c>u = (df/dx)^T g</c>, the reverse of the VJP, given the adjoint <c>ubar</c> of <c>u</c>, is
/// <list type="bullet">
/// <item><c>gbar = (df/dx) ubar</c> (the adjoint of <c>g</c>; <see cref="ReverseVjp"/>),</item>
/// <item><c>xbar = d/dx [g^T (df/dx) ubar]</c>, non-zero only where <c>f</c> is curved in <c>x</c> (activations:
///   <c>s''(x) * g * ubar</c>), added into the forward-row gradient (<see cref="ReverseVjp"/>),</item>
/// <item><c>thetabar = d/dtheta [g^T (df/dx) ubar]</c>, for layers linear in <c>x</c> the same bilinear form
///   as the ordinary weight gradient with <c>(ubar, g)</c> in place of <c>(x, dL/dy)</c>; it is computed by
///   <see cref="ComputeParameterGradient"/> over the vector rows stacked under the forward rows, so that the
///   cross-entropy and penalty weight gradients are one GEMM.</item>
/// </list>
/// The derivation is in docs/jacobian-math.md ("The passes of one training step"). Every pass that writes a gradient adds into
/// it; clearing is the caller's explicit job. Passes that write vectors or outputs overwrite them.
/// </para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal interface ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements per input row.</summary>
    int InputWidth { get; }

    /// <summary>Elements per output row.</summary>
    int OutputWidth { get; }

    /// <summary>Number of parameters in this layer's slice of the network's parameter buffer.</summary>
    int ParameterCount { get; }

    /// <summary>Elements per row the layer keeps from <see cref="Forward"/> for its other passes.</summary>
    int CacheWidth { get; }

    /// <summary>Elements of <see cref="LayerContext{T}.Scratch"/> the passes use (independent of the row count).</summary>
    int ScratchLength { get; }

    /// <summary>Forward pass: <c>output = f(input)</c>, and fills <paramref name="cache"/>.</summary>
    /// <param name="context">The GEMM provider and scratch of the worker running the pass.</param>
    /// <param name="parameters">This layer's parameter slice.</param>
    /// <param name="input"><c>[rows, InputWidth]</c>.</param>
    /// <param name="output"><c>[rows, OutputWidth]</c>, overwritten.</param>
    /// <param name="cache"><c>[rows, CacheWidth]</c>, overwritten.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="training">
    /// Training mode when not null: stochastic layers (dropout) draw from it and record the draw in the cache.
    /// Null: inference mode (dropout is the identity).
    /// </param>
    void Forward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> input, Span<T> output,
        Span<T> cache, int rows, Random? training);

    /// <summary>Backward pass to the input: <c>inputGradient += (df/dx)^T outputGradient</c>, row by row.</summary>
    /// <param name="context">The GEMM provider and scratch of the worker running the pass.</param>
    /// <param name="parameters">This layer's parameter slice.</param>
    /// <param name="cache">The cache written by <see cref="Forward"/>, <c>[rows, CacheWidth]</c>.</param>
    /// <param name="outputGradient"><c>[rows, OutputWidth]</c>.</param>
    /// <param name="inputGradient"><c>[rows, InputWidth]</c>, added into.</param>
    /// <param name="rows">Number of rows.</param>
    void Backward(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows);

    /// <summary>
    /// Writes the parameter gradient of both backward passes (overwriting the slice): over the first <paramref name="forwardRows"/> rows the
    /// ordinary gradient from (input <c>x</c>, output gradient <c>dL/dy</c>); over the next
    /// <paramref name="vectorRows"/> rows the reverse-VJP term from (input adjoint <c>ubar</c>, output vector
    /// <c>g</c>). Both sets of rows are contiguous, so a layer may treat them as one batch where its form allows.
    /// </summary>
    /// <param name="context">The GEMM provider and scratch of the worker running the pass.</param>
    /// <param name="inputs"><c>[forwardRows + vectorRows, InputWidth]</c>: <c>x</c> rows then <c>ubar</c> rows.</param>
    /// <param name="outputGradients"><c>[forwardRows + vectorRows, OutputWidth]</c>: <c>dL/dy</c> rows then <c>g</c> rows.</param>
    /// <param name="forwardRows">Rows of the ordinary backward pass.</param>
    /// <param name="vectorRows">Rows of the reverse-VJP pass (zero when there is none).</param>
    /// <param name="parameterGradient">This layer's gradient slice, overwritten (never read: it need not be cleared).</param>
    void ComputeParameterGradient(LayerContext<T> context, ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradients,
        int forwardRows, int vectorRows, Span<T> parameterGradient);

    /// <summary>The VJP: <c>inputVectors = (df/dx)^T outputVectors</c> for each vector row; no parameter gradient.</summary>
    /// <param name="context">The GEMM provider and scratch of the worker running the pass.</param>
    /// <param name="parameters">This layer's parameter slice.</param>
    /// <param name="cache">The forward cache of the first <paramref name="rows"/> rows.</param>
    /// <param name="outputVectors"><c>g: [repeats * rows, OutputWidth]</c>.</param>
    /// <param name="inputVectors"><c>u: [repeats * rows, InputWidth]</c>, overwritten.</param>
    /// <param name="rows">Forward rows the vectors refer to.</param>
    /// <param name="repeats">Vector blocks per forward row (projections).</param>
    void Vjp(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache, ReadOnlySpan<T> outputVectors,
        Span<T> inputVectors, int rows, int repeats);

    /// <summary>
    /// The reverse of the VJP: <c>outputAdjoints = (df/dx) inputAdjoints</c>, and the curvature term
    /// <c>inputGradient[i] += sum_p d/dx [g_(p,i)^T (df/dx) ubar_(p,i)]</c> (zero for layers linear in x). The parameter
    /// term comes from <see cref="ComputeParameterGradient"/>.
    /// </summary>
    /// <param name="context">The GEMM provider and scratch of the worker running the pass.</param>
    /// <param name="parameters">This layer's parameter slice.</param>
    /// <param name="cache">The forward cache of the first <paramref name="rows"/> rows.</param>
    /// <param name="outputVectors"><c>g: [repeats * rows, OutputWidth]</c>, from the VJP pass.</param>
    /// <param name="inputAdjoints"><c>ubar: [repeats * rows, InputWidth]</c>.</param>
    /// <param name="outputAdjoints"><c>gbar: [repeats * rows, OutputWidth]</c>, overwritten.</param>
    /// <param name="inputGradient"><c>[rows, InputWidth]</c>, the forward-row gradient, added into.</param>
    /// <param name="rows">Forward rows the vectors refer to.</param>
    /// <param name="repeats">Vector blocks per forward row.</param>
    void ReverseVjp(LayerContext<T> context, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache,
        ReadOnlySpan<T> outputVectors, ReadOnlySpan<T> inputAdjoints, Span<T> outputAdjoints, Span<T> inputGradient,
        int rows, int repeats);
}
