namespace MLNetJacobian.Robustness;

/// <summary>
/// The norm that measures a perturbation: it defines the epsilon ball, the steepest-ascent direction of a
/// gradient under that norm, and uniform sampling inside the ball. Attacks are written once against this policy.
/// </summary>
/// <remarks>
/// Every method works on <c>rows</c> examples of <c>D</c> features stored row-major (<c>[rows, D]</c>), each row
/// with its own radius <c>eps_i</c>. The two implementations are <see cref="LInfinity"/>
/// (<c>||d||_inf = max_j |d_j|</c>) and <see cref="L2"/> (<c>||d||_2 = sqrt(sum_j d_j^2)</c>).
/// </remarks>
public abstract class PerturbationNorm
{
    /// <summary>The L-infinity norm: each feature may move by at most epsilon.</summary>
    public static PerturbationNorm LInfinity { get; } = new LInfinityNorm();

    /// <summary>The Euclidean norm.</summary>
    public static PerturbationNorm L2 { get; } = new L2Norm();

    /// <summary>A short name for reports: <c>L-inf</c> or <c>L2</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The norm of one vector.</summary>
    /// <param name="vector">The vector.</param>
    public abstract float Measure(ReadOnlySpan<float> vector);

    /// <summary>The distance between two vectors of the same length.</summary>
    /// <param name="first">The first vector.</param>
    /// <param name="second">The second vector.</param>
    public abstract float Distance(ReadOnlySpan<float> first, ReadOnlySpan<float> second);

    /// <summary>
    /// The unit-norm direction that increases a linearised loss fastest: <c>argmax_{||d|| &lt;= 1} g . d</c>
    /// (<c>sign(g)</c> for L-inf, <c>g / ||g||_2</c> for L2); a zero gradient gives a zero direction.
    /// </summary>
    /// <param name="gradient">Gradients, <c>[rows, D]</c>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="featureCount">D.</param>
    /// <param name="direction">Destination, <c>[rows, D]</c>; may be the same memory as <paramref name="gradient"/>.</param>
    public abstract void SteepestAscentDirection(ReadOnlySpan<float> gradient, int rows, int featureCount, Span<float> direction);

    /// <summary>Projects each row of <paramref name="perturbed"/> onto the ball of radius <c>eps_i</c> around its origin.</summary>
    /// <param name="origin">The unperturbed inputs, <c>[rows, D]</c>.</param>
    /// <param name="epsilons">The radius of each row, <c>[rows]</c>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="featureCount">D.</param>
    /// <param name="perturbed">The inputs to project, <c>[rows, D]</c>, updated in place.</param>
    public abstract void Project(ReadOnlySpan<float> origin, ReadOnlySpan<float> epsilons, int rows, int featureCount, Span<float> perturbed);

    /// <summary>Writes into <paramref name="destination"/> a point drawn uniformly from each row's ball.</summary>
    /// <param name="origin">The ball centres, <c>[rows, D]</c>.</param>
    /// <param name="epsilons">The radius of each row, <c>[rows]</c>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="featureCount">D.</param>
    /// <param name="random">The source of randomness.</param>
    /// <param name="destination">Destination, <c>[rows, D]</c>.</param>
    public abstract void SampleInBall(ReadOnlySpan<float> origin, ReadOnlySpan<float> epsilons, int rows, int featureCount, Random random, Span<float> destination);

    /// <inheritdoc />
    public override string ToString() => Name;
}
