namespace MLNetJacobian.Analysis;

/// <summary>
/// The Jacobian of any <see cref="IBatchClassifier"/>'s scores by central differences: all <c>2D + 1</c> rows
/// (x and <c>x +- h e_j</c>) go through the classifier in one batch.
/// </summary>
/// <remarks>
/// <c>J[i, j] = (f_i(x + h e_j) - f_i(x - h e_j)) / (x_j^+ - x_j^-)</c>, where <c>x_j^+-</c> are the perturbed
/// coordinates as actually stored in single precision (so the rounding of <c>x_j +- h</c> does not bias the
/// quotient). The error is <c>O(h^2)</c> from truncation plus about <c>eps_float |f| / h</c> from the model's
/// single-precision scores; <c>h</c> around <c>1e-3</c> times the feature scale balances the two for smooth models.
/// Tree ensembles (LightGbm) are piecewise constant: their finite-difference Jacobian is zero except where a split
/// threshold lies within <c>h</c> of <c>x_j</c>, where it is about <c>jump / 2h</c>. It is what the model does, not
/// a derivative; read it with that in mind.
/// </remarks>
public sealed class FiniteDifferenceJacobianSource : IJacobianSource
{
    private readonly IBatchClassifier _classifier;
    private readonly float[] _rows;      // [2D + 1, D]: x, then x + h e_j, x - h e_j for j = 0..D-1
    private readonly float[] _scores;    // [2D + 1, C]
    private readonly int[] _classes;     // [2D + 1]

    /// <summary>Creates a finite-difference source over a classifier.</summary>
    /// <param name="classifier">The model (for example an <see cref="MLNetClassifier"/>).</param>
    /// <param name="step">h, the half-width of the central difference, in feature units; positive and finite.</param>
    public FiniteDifferenceJacobianSource(IBatchClassifier classifier, double step = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        if (!(step > 0) || !double.IsFinite(step)) throw new ArgumentOutOfRangeException(nameof(step), step, "The finite-difference step must be positive and finite.");
        _classifier = classifier;
        Step = step;
        int d = classifier.FeatureCount;
        _rows = new float[(2 * d + 1) * d];
        _scores = new float[(2 * d + 1) * classifier.OutputCount];
        _classes = new int[2 * d + 1];
    }

    /// <summary>h, the half-width of the central difference.</summary>
    public double Step { get; }

    /// <inheritdoc />
    public int FeatureCount => _classifier.FeatureCount;

    /// <inheritdoc />
    public int OutputCount => _classifier.OutputCount;

    /// <inheritdoc />
    public JacobianOutputKind OutputKind => _classifier.OutputKind;

    /// <inheritdoc />
    public void Compute(ReadOnlySpan<float> features, Span<double> outputs, Span<double> jacobian)
    {
        int d = FeatureCount, c = OutputCount;
        if (features.Length != d) throw new ArgumentException($"features has {features.Length} values; D = {d} expected.", nameof(features));
        if (outputs.Length != c) throw new ArgumentException($"outputs has {outputs.Length} entries; C = {c} expected.", nameof(outputs));
        if (jacobian.Length != c * d) throw new ArgumentException($"jacobian has {jacobian.Length} entries; C * D = {c * d} expected.", nameof(jacobian));

        Span<float> rows = _rows;
        for (int r = 0; r < 2 * d + 1; r++) features.CopyTo(rows.Slice(r * d, d));
        for (int j = 0; j < d; j++)
        {
            rows[(1 + 2 * j) * d + j] = (float)(features[j] + Step);
            rows[(2 + 2 * j) * d + j] = (float)(features[j] - Step);
        }

        _classifier.Classify(_rows, 2 * d + 1, _scores, _classes);
        for (int i = 0; i < c; i++) outputs[i] = _scores[i];
        for (int j = 0; j < d; j++)
        {
            double width = (double)rows[(1 + 2 * j) * d + j] - rows[(2 + 2 * j) * d + j];
            if (!(width > 0))
            {
                throw new InvalidOperationException(
                    $"Feature {j} = {features[j]} does not change in single precision by +-{Step}; use a larger step.");
            }

            ReadOnlySpan<float> plus = _scores.AsSpan((1 + 2 * j) * c, c);
            ReadOnlySpan<float> minus = _scores.AsSpan((2 + 2 * j) * c, c);
            for (int i = 0; i < c; i++) jacobian[i * d + j] = ((double)plus[i] - minus[i]) / width;
        }
    }
}
