namespace MLNetJacobian.Models;

/// <summary>A model whose outputs are differentiable in its inputs: gradient attacks (FGSM, PGD, APGD) need this.</summary>
/// <remarks>
/// <see cref="ComputeInputGradient"/> runs the forward pass, asks the seed for <c>g_i = dL_i/dz_i</c> from
/// the outputs, and returns the vector-Jacobian product <c>dL_i/dx_i = J(x_i)^T g_i</c> with <c>J = dz/dx</c>
/// (<c>[K, D]</c>), one row per example. One call lets a network reuse its forward activations.
/// </remarks>
public interface IDifferentiableModel : IModel
{
    /// <summary>Outputs and the input gradient of a loss on them, for a batch.</summary>
    /// <param name="features">Inputs, <c>[rows, D]</c>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="seed">Computes <c>g = dL/dz</c> from the outputs.</param>
    /// <param name="outputs">Destination for the outputs, <c>[rows, K]</c>.</param>
    /// <param name="inputGradient">Destination for <c>J^T g</c>, <c>[rows, D]</c>.</param>
    /// <exception cref="ArgumentException">A span is shorter than the rows need.</exception>
    void ComputeInputGradient(ReadOnlySpan<float> features, int rows, IOutputGradient seed, Span<float> outputs, Span<float> inputGradient);
}
