namespace MLNetJacobian.Models;

/// <summary>A model that gives the Jacobian of its outputs with respect to its input features at one input.</summary>
/// <remarks>
/// Exact for this library's networks (<see cref="NetworkModel{T}"/>) and linear models (<see cref="LinearModel"/>);
/// any other model gets one by central differences (<see cref="FiniteDifferenceJacobian"/>).
/// </remarks>
public interface IJacobianModel : IModel
{
    /// <summary>Whether <see cref="ComputeJacobian"/> is exact (false: a finite-difference estimate).</summary>
    bool IsJacobianExact { get; }

    /// <summary>Computes the outputs at <paramref name="features"/> and the Jacobian there.</summary>
    /// <param name="features">x: <c>[D]</c>.</param>
    /// <param name="outputs">Receives f(x): <c>[K]</c>.</param>
    /// <param name="jacobian">Receives <c>J[i, j] = d f_i / d x_j</c>: <c>[K, D]</c> row-major.</param>
    /// <exception cref="ArgumentException">A span does not have the length the shapes give.</exception>
    void ComputeJacobian(ReadOnlySpan<float> features, Span<double> outputs, Span<double> jacobian);
}
