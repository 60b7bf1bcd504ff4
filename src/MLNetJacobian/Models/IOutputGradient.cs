namespace MLNetJacobian.Models;

/// <summary>
/// The seed of a vector-Jacobian product: given the outputs a forward pass produced, the gradient <c>g = dL/dz</c> of
/// some loss in those outputs. A <see cref="IDifferentiableModel"/> calls it between its forward and backward pass.
/// </summary>
public interface IOutputGradient
{
    /// <summary>Writes <c>g</c> for rows <c>[firstRow, firstRow + rows)</c> of the batch.</summary>
    /// <param name="firstRow">The index in the caller's batch of the first row (models may process a batch in slices).</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="outputs">Their outputs, <c>[rows, K]</c>.</param>
    /// <param name="outputGradient">Destination, <c>[rows, K]</c>.</param>
    void Compute(int firstRow, int rows, ReadOnlySpan<float> outputs, Span<float> outputGradient);
}
