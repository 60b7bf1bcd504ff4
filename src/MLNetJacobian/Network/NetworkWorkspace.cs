using System.Diagnostics;
using System.Numerics;
using MLNetJacobian.Compute;

namespace MLNetJacobian.Network;

/// <summary>
/// The buffers of one network's passes, allocated once, and the passes that sweep the layer sequence.
/// </summary>
/// <remarks>
/// <para>
/// Boundaries <c>k = 0 .. K</c> sit between the layers (<c>k = 0</c> the input, <c>k = K</c> the logits); boundary
/// <c>k</c> has width <c>w_k</c>. Each boundary has two stacked buffers, <c>[forwardRows + vectorRows, w_k]</c>:
/// </para>
/// <list type="bullet">
/// <item><see cref="Values"/>: the forward values <c>x_k</c> (rows <c>0 .. rows</c>), then the reverse-VJP adjoints
///   <c>ubar/gbar</c> (vector rows);</item>
/// <item><see cref="Gradients"/>: the loss gradient <c>dL/dx_k</c> (rows <c>0 .. rows</c>), then the VJP vectors
///   <c>u/g</c> (vector rows).</item>
/// </list>
/// <para>
/// The vector rows of a batch of <c>rows</c> rows start right after them (offset <c>rows * w_k</c>), so for every dense
/// layer the gradient rows and VJP rows, and the values and adjoint rows, are contiguous: its two weight-gradient
/// outer products are one GEMM. Vector row <c>p * subsetRows + i</c> belongs to forward row <c>i</c>.
/// </para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class NetworkWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FeedForwardNetwork<T> _network;
    private readonly LayerContext<T> _context;
    private readonly IReadOnlyList<ILayer<T>> _layers;
    private readonly T[][] _caches;   // per layer: [forwardCapacity, CacheWidth]

    /// <summary>Allocates every buffer.</summary>
    public NetworkWorkspace(FeedForwardNetwork<T> network, IGemmProvider gemm, int forwardCapacity, int vectorCapacity)
    {
        Debug.Assert(forwardCapacity >= 1 && vectorCapacity >= 0, "Capacities are positive.");
        _network = network;
        _layers = network.Layers;
        _context = new LayerContext<T>(gemm, _layers.Max(layer => layer.ScratchLength));
        ForwardCapacity = forwardCapacity;
        VectorCapacity = vectorCapacity;
        int boundaryCount = _layers.Count + 1;
        Widths = new int[boundaryCount];
        Widths[0] = _layers[0].InputWidth;
        for (int k = 1; k < boundaryCount; k++) Widths[k] = _layers[k - 1].OutputWidth;
        Values = new T[boundaryCount][];
        Gradients = new T[boundaryCount][];
        for (int k = 0; k < boundaryCount; k++)
        {
            Values[k] = new T[(forwardCapacity + vectorCapacity) * Widths[k]];
            Gradients[k] = new T[(forwardCapacity + vectorCapacity) * Widths[k]];
        }

        _caches = new T[_layers.Count][];
        for (int k = 0; k < _layers.Count; k++) _caches[k] = new T[forwardCapacity * _layers[k].CacheWidth];
    }

    /// <summary>Most forward rows a pass accepts.</summary>
    public int ForwardCapacity { get; }

    /// <summary>Most vector rows a pass accepts.</summary>
    public int VectorCapacity { get; }

    /// <summary>Width of each boundary.</summary>
    public int[] Widths { get; }

    /// <summary>Per boundary: forward values, then reverse-VJP adjoints.</summary>
    public T[][] Values { get; }

    /// <summary>Per boundary: loss gradients, then VJP vectors.</summary>
    public T[][] Gradients { get; }

    /// <summary>The last boundary (the logits).</summary>
    public int LastBoundary => _layers.Count;

    /// <summary>The vector rows of boundary <paramref name="boundary"/>'s values (adjoints) after <paramref name="rows"/> forward rows.</summary>
    public Span<T> VectorValues(int boundary, int rows, int vectorRows) =>
        Values[boundary].AsSpan(rows * Widths[boundary], vectorRows * Widths[boundary]);

    /// <summary>The vector rows of boundary <paramref name="boundary"/>'s gradients (VJP vectors) after <paramref name="rows"/> forward rows.</summary>
    public Span<T> VectorGradients(int boundary, int rows, int vectorRows) =>
        Gradients[boundary].AsSpan(rows * Widths[boundary], vectorRows * Widths[boundary]);

    /// <summary>
    /// Forward pass over the first <paramref name="rows"/> rows of <c>Values[0]</c>; fills every value and cache.
    /// With <paramref name="training"/> the pass runs in training mode (dropout draws its masks from it, and every
    /// later pass over these rows uses the same masks); without it, in inference mode.
    /// </summary>
    public void Forward(int rows, Random? training = null)
    {
        Debug.Assert(rows <= ForwardCapacity, "Rows fit the buffers.");
        for (int k = 0; k < _layers.Count; k++)
        {
            _layers[k].Forward(_context, LayerParameters(k), Values[k], Values[k + 1], _caches[k], rows, training);
        }
    }

    /// <summary>Zeroes the loss-gradient rows of every boundary (the backward passes add into them).</summary>
    public void ClearGradients(int rows)
    {
        for (int k = 0; k < Gradients.Length; k++) Gradients[k].AsSpan(0, rows * Widths[k]).Clear();
    }

    /// <summary>
    /// Zeroes the loss-gradient rows of the hidden boundaries <c>1 .. K-1</c> only: what
    /// <see cref="BackwardWithParameters"/> and the reverse VJP add into, when the caller overwrites the logit rows.
    /// The input boundary (<c>[rows, D]</c>, the widest) is left alone: training never computes <c>dL/dx</c>.
    /// </summary>
    public void ClearHiddenGradients(int rows)
    {
        for (int k = 1; k < LastBoundary; k++) Gradients[k].AsSpan(0, rows * Widths[k]).Clear();
    }

    /// <summary>
    /// Backward from the logit gradient in <c>Gradients[K]</c> down to the input: afterwards <c>Gradients[0]</c>
    /// holds <c>dL/dx</c>. No parameter gradient. Expects <see cref="ClearGradients"/> below the logits.
    /// </summary>
    public void BackwardToInput(int rows)
    {
        for (int k = _layers.Count - 1; k >= 0; k--)
        {
            _layers[k].Backward(_context, LayerParameters(k), _caches[k], Gradients[k + 1], Gradients[k], rows);
        }
    }

    /// <summary>
    /// Backward from the logit gradient in <c>Gradients[K]</c>, writing every layer's parameter gradient (over the
    /// forward rows and the <paramref name="vectorRows"/> stacked under them) into <paramref name="gradient"/>,
    /// which is overwritten (a layer without parameters owns no slice of it).
    /// Stops before the input gradient, which nothing needs.
    /// </summary>
    public void BackwardWithParameters(int rows, int vectorRows, Span<T> gradient)
    {
        for (int k = _layers.Count - 1; k >= 0; k--)
        {
            ILayer<T> layer = _layers[k];
            if (layer.ParameterCount > 0)
            {
                layer.ComputeParameterGradient(_context, Values[k], Gradients[k + 1], rows, vectorRows,
                    gradient.Slice(_network.GetLayerParameterOffset(k), layer.ParameterCount));
            }

            if (k > 0) layer.Backward(_context, LayerParameters(k), _caches[k], Gradients[k + 1], Gradients[k], rows);
        }
    }

    /// <summary>
    /// The VJP pass from the vectors in the vector rows of <c>Gradients[K]</c> down to <c>Gradients[0]</c>
    /// (<c>u_0 = J^T v</c> per vector row), for <paramref name="repeats"/> blocks of the first
    /// <paramref name="subsetRows"/> forward rows, stacked after <paramref name="rows"/> forward rows.
    /// </summary>
    public void Vjp(int rows, int subsetRows, int repeats)
    {
        int vectorRows = subsetRows * repeats;
        Debug.Assert(subsetRows <= rows && vectorRows <= VectorCapacity, "Vector rows fit the buffers.");
        for (int k = _layers.Count - 1; k >= 0; k--)
        {
            _layers[k].Vjp(_context, LayerParameters(k), _caches[k], VectorGradients(k + 1, rows, vectorRows),
                VectorGradients(k, rows, vectorRows), subsetRows, repeats);
        }
    }

    /// <summary>
    /// The reverse of the VJP pass, input to output, from the adjoint <c>ubar_0</c> in the vector rows of
    /// <c>Values[0]</c>: fills the adjoint rows of every boundary below the logits and adds the curvature terms into
    /// the loss-gradient rows of the first <paramref name="subsetRows"/> rows.
    /// </summary>
    public void ReverseVjp(int rows, int subsetRows, int repeats)
    {
        int vectorRows = subsetRows * repeats;
        for (int k = 0; k < _layers.Count - 1; k++)
        {
            _layers[k].ReverseVjp(_context, LayerParameters(k), _caches[k], VectorGradients(k + 1, rows, vectorRows),
                VectorValues(k, rows, vectorRows), VectorValues(k + 1, rows, vectorRows), Gradients[k], subsetRows, repeats);
        }
    }

    private ReadOnlySpan<T> LayerParameters(int layerIndex) =>
        _network.Parameters.Slice(_network.GetLayerParameterOffset(layerIndex), _layers[layerIndex].ParameterCount);
}
