using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using MLNetJacobian.Network;

namespace MLNetJacobian.Training;

/// <summary>
/// The Jacobian penalty <c>(lambda / 2) ||J(x)||_F^2</c> (Hoffman, Roberts &amp; Yaida 2019): its random-projection
/// estimate and its exact gradient by the hand-derived double backward. The whole regularizer lives in this file.
/// </summary>
/// <remarks>
/// <para>
/// Estimator, for row <c>i</c> with <c>P</c> projections <c>v_ik</c> uniform on <c>S^(C-1)</c> (or, in exact mode,
/// the <c>C</c> basis vectors with <c>scale = 1</c>; with one output the single basis vector 1, so the penalty is exact):
/// <c>R_i = scale * sum_k ||J_i^T v_ik||^2</c>, <c>scale = C / P</c>. It is unbiased because <c>E[v v^T] = I / C</c>.
/// The objective's penalty is <c>(lambda / 2) sum_i w_i R_i / sum_i w_i</c>. With a row subsample <c>S</c> of
/// <c>m</c> of the <c>B</c> rows drawn without replacement, the sum runs over <c>S</c> and is scaled by <c>B / m</c>:
/// each row is in <c>S</c> with probability <c>m / B</c>, so the estimate stays unbiased.
/// </para>
/// <para>Passes (docs/jacobian-math.md, "The passes of one training step"), all batched over the <c>P m</c> vector rows as GEMMs:</para>
/// <list type="number">
/// <item>VJP pass, seeded with <c>g_L = v</c>: <c>u_(l-1) = W_l^T g_l</c>, <c>g_(l-1) = s'(a_(l-1)) * u_(l-1)</c>,
///   ending in <c>r = u_0 = J^T v</c> (<see cref="NetworkWorkspace{T}.Vjp"/>).</item>
/// <item>Seed of the reverse pass: <c>ubar_0 = 2 scale c_i r</c>, the derivative of <c>c_i R_i</c> with respect to
///   <c>r</c>, where <c>c_i = (lambda / 2) (w_i / sum w) (B / m)</c> is the row's weight in the objective. Every
///   later quantity is linear in <c>ubar_0</c>, so it arrives at the gradient already weighted.</item>
/// <item>Reverse of the VJP pass, input to output: <c>gbar_l = W_l ubar_(l-1)</c>, <c>ubar_l = s'(a_l) * gbar_l</c>,
///   <c>abar_l = s''(a_l) * u_l * gbar_l</c> (<see cref="NetworkWorkspace{T}.ReverseVjp"/>); <c>abar_l</c> is added
///   into the loss-gradient rows of <c>a_l</c>, so the cross-entropy backward carries it down
///   (<c>A_l = abar_l + s'(a_l) * W_(l+1)^T A_(l+1)</c>) and it reaches the weights and biases for free.</item>
/// <item>Weight gradient <c>dR/dW_l += g_l ubar_(l-1)^T</c>: done by the objective's backward in the same GEMM as the
///   cross-entropy's <c>Delta_l h_(l-1)^T</c>, because the <c>g</c> and <c>ubar</c> rows are stacked under the
///   <c>Delta</c> and <c>h</c> rows (<see cref="NetworkWorkspace{T}"/>).</item>
/// </list>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class JacobianPenalty<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly JacobianPenaltyOptions _options;
    private readonly int _classCount;
    private readonly bool _exact;

    /// <summary>Creates the penalty for a network.</summary>
    public JacobianPenalty(FeedForwardNetwork<T> network, JacobianPenaltyOptions options, int maxBatchSize)
    {
        _options = options;
        _classCount = network.OutputSize;
        _exact = options.IsExactFor(_classCount);
        ProjectionCount = _exact ? _classCount : options.ProjectionCount;
        MaxVectorRows = IsActive ? ProjectionCount * options.SubsetSize(maxBatchSize) : 0;
    }

    /// <summary>Whether the penalty is computed at all (lambda &gt; 0).</summary>
    public bool IsActive => _options.JacobianWeight > 0;

    /// <summary>P: projections per row (C in exact mode).</summary>
    public int ProjectionCount { get; }

    /// <summary>The most vector rows one batch needs: <c>P * m(maxBatchSize)</c>.</summary>
    public int MaxVectorRows { get; }

    /// <summary>The source of the random projections (not used in exact mode or with one output).</summary>
    public IProjectionSource<T> Projections { get; set; } = new UnitSphereProjectionSource<T>();

    /// <summary>
    /// Runs the penalty's passes on the first <paramref name="subsetRows"/> of the <paramref name="rows"/> forward rows
    /// in <paramref name="workspace"/>, whose forward pass is done and whose loss-gradient rows are cleared (or hold
    /// only other loss terms). Leaves <c>abar</c> in the loss-gradient rows and the <c>g</c>, <c>ubar</c> rows stacked for
    /// the backward pass, which must then run with <c>P * subsetRows</c> vector rows.
    /// </summary>
    /// <param name="workspace">The objective's buffers.</param>
    /// <param name="rows">B, forward rows in the batch.</param>
    /// <param name="subsetRows">m, the rows the penalty is applied to (the first m).</param>
    /// <param name="rowWeights"><c>w_i / sum w</c> for each of the first <paramref name="subsetRows"/> rows.</param>
    /// <param name="random">The source of the projections.</param>
    /// <returns>The estimate <c>(B / m) sum_(i &lt; m) (w_i / sum w) R_i</c> of the weighted mean <c>||J||_F^2</c>.</returns>
    public double Apply(NetworkWorkspace<T> workspace, int rows, int subsetRows, ReadOnlySpan<T> rowWeights, Random random)
    {
        Debug.Assert(IsActive && subsetRows >= 1 && subsetRows <= rows, "The penalty runs on a non-empty subset.");
        int projectionCount = ProjectionCount, vectorRows = projectionCount * subsetRows;
        int inputSize = workspace.Widths[0];

        // 1. Seeds v: [P, m, C] in the vector rows of the logit boundary.
        Span<T> seeds = workspace.VectorGradients(workspace.LastBoundary, rows, vectorRows);
        if (_exact)
        {
            seeds.Clear();
            for (int k = 0; k < projectionCount; k++)
            {
                for (int i = 0; i < subsetRows; i++) seeds[(k * subsetRows + i) * _classCount + k] = T.One;
            }
        }
        else
        {
            Projections.Fill(seeds, projectionCount, subsetRows, _classCount, random);
        }

        // 2. VJP pass: r = J^T v, [P * m, D].
        workspace.Vjp(rows, subsetRows, projectionCount);
        ReadOnlySpan<T> projected = workspace.VectorGradients(0, rows, vectorRows);
        Span<T> seedAdjoints = workspace.VectorValues(0, rows, vectorRows);   // ubar_0: [P * m, D]

        // 3. R_i and the reverse seed ubar_0 = 2 scale c_i r.
        double scale = _exact ? 1.0 : (double)_classCount / projectionCount;
        double subsetScale = (double)rows / subsetRows;
        double halfWeight = 0.5 * _options.JacobianWeight;
        double estimate = 0;
        for (int i = 0; i < subsetRows; i++)
        {
            double sumOfSquares = 0;
            for (int k = 0; k < projectionCount; k++)
            {
                sumOfSquares += double.CreateTruncating(
                    TensorPrimitives.SumOfSquares(projected.Slice((k * subsetRows + i) * inputSize, inputSize)));
            }

            double rowScale = double.CreateTruncating(rowWeights[i]) * subsetScale;
            estimate += rowScale * scale * sumOfSquares;
            T seedFactor = T.CreateTruncating(2.0 * scale * halfWeight * rowScale);
            for (int k = 0; k < projectionCount; k++)
            {
                int offset = (k * subsetRows + i) * inputSize;
                TensorPrimitives.Multiply(projected.Slice(offset, inputSize), seedFactor, seedAdjoints.Slice(offset, inputSize));
            }
        }

        // 4. Reverse of the VJP pass: ubar, gbar per boundary; abar into the loss-gradient rows.
        workspace.ReverseVjp(rows, subsetRows, projectionCount);
        return estimate;
    }
}
