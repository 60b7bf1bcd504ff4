namespace MLNetJacobian.Analysis;

/// <summary>Something that gives the Jacobian of a classifier's outputs with respect to its input features.</summary>
/// <remarks>
/// Implementations: <see cref="FiniteDifferenceJacobianSource"/> (any <see cref="IBatchClassifier"/>, including
/// every ML.NET model), <see cref="LinearModelJacobianSource"/> (exact, ML.NET linear multiclass models), and the
/// exact adapter over this library's networks. Implementations are not required to be thread-safe.
/// </remarks>
public interface IJacobianSource
{
    /// <summary>D, the number of input features.</summary>
    int FeatureCount { get; }

    /// <summary>C, the number of outputs (rows of the Jacobian).</summary>
    int OutputCount { get; }

    /// <summary>What the outputs are (logits or an ML.NET Score column).</summary>
    JacobianOutputKind OutputKind { get; }

    /// <summary>Computes the outputs at <paramref name="features"/> and the Jacobian there.</summary>
    /// <param name="features">x: <c>[D]</c>.</param>
    /// <param name="outputs">Receives f(x): <c>[C]</c>.</param>
    /// <param name="jacobian">Receives <c>J[i, j] = d f_i / d x_j</c>: <c>[C, D]</c> row-major.</param>
    void Compute(ReadOnlySpan<float> features, Span<double> outputs, Span<double> jacobian);
}
