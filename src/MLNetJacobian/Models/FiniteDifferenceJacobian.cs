namespace MLNetJacobian.Models;

/// <summary>
/// The Jacobian of any <see cref="IModel"/>'s outputs by central differences, with a step per feature scaled to that
/// feature's range: all <c>2D + 1</c> rows (x and <c>x +- h_j e_j</c>) go through the model in one batch.
/// </summary>
/// <remarks>
/// <para><c>J[i, j] = (f_i(x + h_j e_j) - f_i(x - h_j e_j)) / (x_j^+ - x_j^-)</c>, where <c>x_j^+-</c> are the perturbed
/// coordinates as actually stored in single precision (so the rounding of <c>x_j +- h_j</c> does not bias the
/// quotient). The error is <c>O(h^2)</c> from truncation plus about <c>eps_float |f| / h</c> from the model's
/// single-precision outputs; <c>h_j</c> around <c>1e-3</c> times the feature's range balances the two for smooth
/// models, whatever the features' units (an absolute <c>1e-3</c> is too small a step for 0..255 pixels and too large
/// for features in thousandths). <see cref="ForData"/> reads the ranges from the data; <see cref="WithAbsoluteStep"/>
/// uses one step for every feature.</para>
/// <para>Tree ensembles (LightGbm) are piecewise constant: their finite-difference Jacobian is zero except where a split
/// threshold lies within <c>h</c> of <c>x_j</c>, where it is about <c>jump / 2h</c>. It is what the model does, not
/// a derivative; read it with that in mind.</para>
/// </remarks>
public sealed class FiniteDifferenceJacobian : IJacobianModel
{
    /// <summary>The default step as a fraction of each feature's range.</summary>
    public const double DefaultRelativeStep = 1e-3;

    private readonly IModel _model;
    private readonly double[] _steps;    // h_j: [D]
    private readonly float[] _rows;      // [2D + 1, D]: x, then x + h_j e_j, x - h_j e_j for j = 0..D-1
    private readonly float[] _outputs;   // [2D + 1, K]

    /// <summary>Creates a finite-difference Jacobian with one step per feature.</summary>
    /// <param name="model">The model (for example a <see cref="TransformerModel"/>).</param>
    /// <param name="steps">h_j, the half-width of the central difference for each feature, in its units: <c>[D]</c>, each positive and finite.</param>
    /// <exception cref="ArgumentException">The steps are not D positive finite values.</exception>
    public FiniteDifferenceJacobian(IModel model, IReadOnlyList<double> steps)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(steps);
        int d = model.FeatureCount;
        if (steps.Count != d) throw new ArgumentException($"{steps.Count} steps were given for D = {d} features.", nameof(steps));
        for (int j = 0; j < d; j++)
        {
            if (!(steps[j] > 0) || !double.IsFinite(steps[j]))
            {
                throw new ArgumentOutOfRangeException(nameof(steps), steps[j], $"The finite-difference step of feature {j} is {steps[j]}; it must be positive and finite.");
            }
        }

        _model = model;
        _steps = steps.ToArray();
        _rows = new float[(2 * d + 1) * d];
        _outputs = new float[(2 * d + 1) * model.OutputCount];
    }

    /// <summary>One absolute step for every feature.</summary>
    /// <param name="model">The model.</param>
    /// <param name="step">h, in feature units; positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">The step is not positive and finite.</exception>
    public static FiniteDifferenceJacobian WithAbsoluteStep(IModel model, double step)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(step > 0) || !double.IsFinite(step)) throw new ArgumentOutOfRangeException(nameof(step), step, "The finite-difference step must be positive and finite.");
        return new FiniteDifferenceJacobian(model, Enumerable.Repeat(step, model.FeatureCount).ToArray());
    }

    /// <summary>
    /// Steps of <paramref name="relativeStep"/> times each feature's range (max - min) over <paramref name="features"/>;
    /// a feature that is constant in the data takes the largest range of the others (1 when every feature is constant).
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="features">Rows that span the features' ranges, <c>[N, D]</c> row-major (for example the training or test set).</param>
    /// <param name="relativeStep">The step as a fraction of the range; positive and finite.</param>
    /// <exception cref="ArgumentException">The rows are empty or not a whole number of D-feature rows.</exception>
    public static FiniteDifferenceJacobian ForData(IModel model, ReadOnlySpan<float> features, double relativeStep = DefaultRelativeStep)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(relativeStep > 0) || !double.IsFinite(relativeStep)) throw new ArgumentOutOfRangeException(nameof(relativeStep), relativeStep, "The relative step must be positive and finite.");
        int d = model.FeatureCount;
        if (features.Length == 0 || features.Length % d != 0)
        {
            throw new ArgumentException($"The data holds {features.Length} values, not a positive multiple of D = {d}.", nameof(features));
        }

        var lower = new double[d];
        var upper = new double[d];
        Array.Fill(lower, double.PositiveInfinity);
        Array.Fill(upper, double.NegativeInfinity);
        for (int start = 0; start < features.Length; start += d)
        {
            for (int j = 0; j < d; j++)
            {
                float value = features[start + j];
                if (!float.IsFinite(value)) continue;
                if (value < lower[j]) lower[j] = value;
                if (value > upper[j]) upper[j] = value;
            }
        }

        var ranges = new double[d];
        for (int j = 0; j < d; j++) ranges[j] = upper[j] > lower[j] ? upper[j] - lower[j] : 0;
        double fallback = ranges.Max() is > 0 and var largest ? largest : 1;
        return new FiniteDifferenceJacobian(model, ranges.Select(r => relativeStep * (r > 0 ? r : fallback)).ToArray());
    }

    /// <summary>h_j, the half-width of the central difference for each feature: <c>[D]</c>.</summary>
    public IReadOnlyList<double> Steps => _steps;

    /// <inheritdoc />
    public int FeatureCount => _model.FeatureCount;

    /// <inheritdoc />
    public int OutputCount => _model.OutputCount;

    /// <inheritdoc />
    public ModelTask Task => _model.Task;

    /// <inheritdoc />
    public ModelOutputKind OutputKind => _model.OutputKind;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => _model.ClassNames;

    /// <inheritdoc />
    public string Description => _model.Description;

    /// <inheritdoc />
    public bool IsJacobianExact => false;

    /// <inheritdoc />
    public void ComputeOutputs(ReadOnlySpan<float> features, int rows, Span<float> outputs) => _model.ComputeOutputs(features, rows, outputs);

    /// <inheritdoc />
    public IModel CreateThreadInstance() => new FiniteDifferenceJacobian(_model.CreateThreadInstance(), _steps);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A feature does not change in single precision by its step.</exception>
    public void ComputeJacobian(ReadOnlySpan<float> features, Span<double> outputs, Span<double> jacobian)
    {
        ModelPredictions.CheckJacobian(this, features, outputs.Length, jacobian.Length);
        int d = FeatureCount, c = OutputCount;
        Span<float> rows = _rows;
        for (int r = 0; r < 2 * d + 1; r++) features.CopyTo(rows.Slice(r * d, d));
        for (int j = 0; j < d; j++)
        {
            rows[(1 + 2 * j) * d + j] = (float)(features[j] + _steps[j]);
            rows[(2 + 2 * j) * d + j] = (float)(features[j] - _steps[j]);
        }

        _model.ComputeOutputs(_rows, 2 * d + 1, _outputs);
        for (int i = 0; i < c; i++) outputs[i] = _outputs[i];
        for (int j = 0; j < d; j++)
        {
            double width = (double)rows[(1 + 2 * j) * d + j] - rows[(2 + 2 * j) * d + j];
            if (!(width > 0))
            {
                throw new InvalidOperationException($"Feature {j} = {features[j]} does not change in single precision by +-{_steps[j]}; use a larger step.");
            }

            ReadOnlySpan<float> plus = _outputs.AsSpan((1 + 2 * j) * c, c);
            ReadOnlySpan<float> minus = _outputs.AsSpan((2 + 2 * j) * c, c);
            for (int i = 0; i < c; i++) jacobian[i * d + j] = ((double)plus[i] - minus[i]) / width;
        }
    }
}
