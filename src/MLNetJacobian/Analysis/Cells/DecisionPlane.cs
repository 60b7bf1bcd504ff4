using MathNet.Numerics.LinearAlgebra;
using MLNetJacobian.Models;

namespace MLNetJacobian.Analysis;

/// <summary>
/// A plane through an input <c>x</c> spanned by two orthonormal directions: the points <c>x + s d1 + t d2</c>.
/// </summary>
/// <remarks>
/// Directions given by the user are orthonormalized by Gram-Schmidt: <c>d1 = u / ||u||</c>,
/// <c>d2 = (v - (v . d1) d1) / ||v - (v . d1) d1||</c>. Either norm at or below <c>1e-9 ||.||</c> of its input is an
/// error (a zero direction, or two parallel ones).
/// </remarks>
public sealed class DecisionPlane
{
    private const double DegenerateTolerance = 1e-9;
    private readonly float[] _origin;
    private readonly double[] _direction1;
    private readonly double[] _direction2;

    private DecisionPlane(float[] origin, double[] direction1, double[] direction2, string description)
    {
        _origin = origin;
        _direction1 = direction1;
        _direction2 = direction2;
        Description = description;
    }

    /// <summary>x, the centre of the plane: <c>[D]</c>.</summary>
    public ReadOnlySpan<float> Origin => _origin;

    /// <summary>d1, the unit horizontal direction: <c>[D]</c>.</summary>
    public ReadOnlySpan<double> Direction1 => _direction1;

    /// <summary>d2, the unit vertical direction, orthogonal to d1: <c>[D]</c>.</summary>
    public ReadOnlySpan<double> Direction2 => _direction2;

    /// <summary>D.</summary>
    public int FeatureCount => _origin.Length;

    /// <summary>How the directions were chosen, for titles.</summary>
    public string Description { get; }

    /// <summary>A plane along two directions drawn uniformly at random (orthonormalized Gaussian vectors).</summary>
    /// <param name="origin">x: <c>[D]</c>, D at least 2.</param>
    /// <param name="seed">The seed of the directions.</param>
    /// <exception cref="ArgumentException"><paramref name="origin"/> has fewer than 2 values.</exception>
    public static DecisionPlane Random(ReadOnlySpan<float> origin, int seed)
    {
        CheckOrigin(origin);
        var random = new Random(seed);
        var u = new double[origin.Length];
        var v = new double[origin.Length];
        RandomDirections.FillUnit(random, u);
        RandomDirections.FillUnit(random, v);
        return FromDirections(origin, u, v, $"random directions (seed {seed})");
    }

    /// <summary>A plane along two given directions, orthonormalized by Gram-Schmidt.</summary>
    /// <param name="origin">x: <c>[D]</c>.</param>
    /// <param name="first">u: <c>[D]</c>, becomes d1 after normalization.</param>
    /// <param name="second">v: <c>[D]</c>, its part orthogonal to u becomes d2.</param>
    /// <param name="description">How the directions were chosen.</param>
    /// <exception cref="ArgumentException">A length differs from D, a direction is zero, or the two are parallel.</exception>
    public static DecisionPlane FromDirections(ReadOnlySpan<float> origin, ReadOnlySpan<double> first, ReadOnlySpan<double> second, string description = "given directions")
    {
        CheckOrigin(origin);
        int d = origin.Length;
        if (first.Length != d) throw new ArgumentException($"first has {first.Length} values; D = {d} expected.", nameof(first));
        if (second.Length != d) throw new ArgumentException($"second has {second.Length} values; D = {d} expected.", nameof(second));
        double firstNorm = RandomDirections.Norm(first);
        if (!(firstNorm > 0) || !double.IsFinite(firstNorm)) throw new ArgumentException($"The first direction has norm {firstNorm}; it must be non-zero and finite.", nameof(first));
        double secondNorm = RandomDirections.Norm(second);
        if (!(secondNorm > 0) || !double.IsFinite(secondNorm)) throw new ArgumentException($"The second direction has norm {secondNorm}; it must be non-zero and finite.", nameof(second));

        var d1 = new double[d];
        for (int j = 0; j < d; j++) d1[j] = first[j] / firstNorm;
        double projection = 0;
        for (int j = 0; j < d; j++) projection += second[j] * d1[j];
        var d2 = new double[d];
        for (int j = 0; j < d; j++) d2[j] = second[j] - projection * d1[j];
        double remaining = RandomDirections.Norm(d2);
        if (!(remaining > DegenerateTolerance * secondNorm))
        {
            throw new ArgumentException($"The two directions are parallel (the second keeps {remaining / secondNorm:G3} of its norm after removing the first); they do not span a plane.", nameof(second));
        }

        for (int j = 0; j < d; j++) d2[j] /= remaining;
        return new DecisionPlane(origin.ToArray(), d1, d2, description);
    }

    /// <summary>A plane through x towards two other inputs a and b: directions <c>a - x</c> and <c>b - x</c>, orthonormalized.</summary>
    /// <param name="origin">x: <c>[D]</c>.</param>
    /// <param name="first">a: <c>[D]</c>.</param>
    /// <param name="second">b: <c>[D]</c>.</param>
    /// <param name="description">How the examples were chosen.</param>
    /// <exception cref="ArgumentException">A length differs from D (at least 2), or an example equals x or the two directions are parallel.</exception>
    public static DecisionPlane TowardsExamples(ReadOnlySpan<float> origin, ReadOnlySpan<float> first, ReadOnlySpan<float> second, string description = "towards two examples")
    {
        CheckOrigin(origin);
        if (first.Length != origin.Length) throw new ArgumentException($"first has {first.Length} values; D = {origin.Length} expected.", nameof(first));
        if (second.Length != origin.Length) throw new ArgumentException($"second has {second.Length} values; D = {origin.Length} expected.", nameof(second));
        var u = new double[origin.Length];
        var v = new double[origin.Length];
        for (int j = 0; j < origin.Length; j++)
        {
            u[j] = (double)first[j] - origin[j];
            v[j] = (double)second[j] - origin[j];
        }

        return FromDirections(origin, u, v, description);
    }

    /// <summary>
    /// A plane along the top two right singular vectors of <c>J(x)</c>: the input directions the model's outputs are
    /// most sensitive to.
    /// </summary>
    /// <remarks>
    /// With <c>J J^T = U diag(sigma^2) U^T</c> (a <c>C x C</c> eigenproblem), <c>v_k = J^T u_k / sigma_k</c>.
    /// The sign of each singular vector is arbitrary; it is fixed so that its largest-magnitude entry is positive.
    /// </remarks>
    /// <param name="origin">x: <c>[D]</c>.</param>
    /// <param name="source">The Jacobian source.</param>
    /// <exception cref="ArgumentException">The Jacobian has fewer than two non-zero singular values.</exception>
    public static DecisionPlane TopSingularDirections(ReadOnlySpan<float> origin, IJacobianModel source) =>
        TryTopSingularDirections(origin, source)
        ?? throw new ArgumentException("The Jacobian at this input has fewer than two non-zero singular values; use random directions or directions towards examples.", nameof(source));

    /// <summary>
    /// As <see cref="TopSingularDirections"/>, but null when <c>J(x)</c> has fewer than two non-zero singular values
    /// (a constant model, a 2-class network with one active path, C &lt; 2).
    /// </summary>
    /// <param name="origin">x: <c>[D]</c>.</param>
    /// <param name="source">The Jacobian source.</param>
    internal static DecisionPlane? TryTopSingularDirections(ReadOnlySpan<float> origin, IJacobianModel source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckOrigin(origin);
        if (origin.Length != source.FeatureCount) throw new ArgumentException($"origin has {origin.Length} values; the source expects D = {source.FeatureCount}.", nameof(origin));
        int c = source.OutputCount, d = source.FeatureCount;
        var outputs = new double[c];
        var jacobian = new double[c * d];
        source.ComputeJacobian(origin, outputs, jacobian);
        Matrix<double> j = Matrix<double>.Build.DenseOfRowMajor(c, d, jacobian);
        var eigen = (j * j.Transpose()).Evd(Symmetricity.Symmetric);
        double[] values = eigen.EigenValues.Select(v => v.Real).ToArray();
        int[] order = Enumerable.Range(0, c).OrderByDescending(k => values[k]).ToArray();
        if (c < 2 || !(values[order[1]] > 1e-24 * Math.Max(values[order[0]], double.Epsilon)) || !(values[order[0]] > 0))
        {
            return null;
        }

        double[] first = RightSingularVector(j, eigen.EigenVectors.Column(order[0]));
        double[] second = RightSingularVector(j, eigen.EigenVectors.Column(order[1]));
        string description = FormattableString.Invariant($"top singular directions of J (sigma1 = {Math.Sqrt(values[order[0]]):G3}, sigma2 = {Math.Sqrt(values[order[1]]):G3})");
        return FromDirections(origin, first, second, description);
    }

    /// <summary>The point <c>x + s d1 + t d2</c>.</summary>
    /// <param name="s">Coordinate along d1.</param>
    /// <param name="t">Coordinate along d2.</param>
    /// <param name="point">Receives the point: <c>[D]</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="point"/> does not hold D values.</exception>
    public void PointAt(double s, double t, Span<float> point)
    {
        if (point.Length != FeatureCount) throw new ArgumentException($"point has {point.Length} values; D = {FeatureCount} expected.", nameof(point));
        for (int j = 0; j < FeatureCount; j++) point[j] = (float)(_origin[j] + s * _direction1[j] + t * _direction2[j]);
    }

    private static double[] RightSingularVector(Matrix<double> jacobian, Vector<double> left)
    {
        double[] v = (jacobian.Transpose() * left).ToArray();
        int largest = 0;
        for (int i = 1; i < v.Length; i++) if (Math.Abs(v[i]) > Math.Abs(v[largest])) largest = i;
        if (v[largest] < 0) for (int i = 0; i < v.Length; i++) v[i] = -v[i];
        return v;
    }

    private static void CheckOrigin(ReadOnlySpan<float> origin)
    {
        if (origin.Length < 2) throw new ArgumentException($"origin has {origin.Length} values; a plane needs at least 2 features.", nameof(origin));
    }
}
