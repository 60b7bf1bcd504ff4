using MLNetJacobian.Compute;
using MLNetJacobian.Network;

namespace MLNetJacobian.Tests.Network;

/// <summary>
/// Checks every pass of one <see cref="ILayer{T}"/> in double precision against central finite differences of its
/// forward pass: backward, the VJP, the reverse VJP (its <c>gbar</c> and its curvature term) and the parameter
/// gradient over stacked forward and vector rows.
/// </summary>
/// <remarks>
/// Central differences with step h have truncation error ~h^2 f''' / 6 and rounding error ~eps |f| / h: at h = 1e-5
/// both are ~1e-10 relative to values of order one. The layers checked here are linear or piecewise linear in x
/// (the truncation term vanishes between kinks) or smooth, so 1e-7 relative to the largest entry is a wide margin
/// that still catches any wrong index, missing term or wrong scale (errors of order one).
/// </remarks>
internal sealed class LayerGradientCheck
{
    public const double Step = 1e-5;
    public const double Tolerance = 1e-7;

    // The curvature term is checked by a mixed second difference with step 1e-3: truncation ~h^2 |f''''| / 6 ~ 2e-7,
    // rounding ~eps |g^T f| / h^2 ~ 1e-9, in absolute terms (for the linear layers the expected term is exactly 0; a
    // missing term of a curved activation is of order one).
    public const double CurvatureTolerance = 1e-5;

    private readonly ILayer<double> _layer;
    private readonly LayerContext<double> _context;
    private readonly double[] _parameters;
    private readonly int _rows, _repeats, _seed;
    private readonly Func<Random?> _training;

    /// <param name="layer">The layer.</param>
    /// <param name="rows">Forward rows.</param>
    /// <param name="repeats">Vector blocks per forward row.</param>
    /// <param name="seed">Seed of the random parameters, inputs and vectors.</param>
    /// <param name="training">A fresh random source per forward pass (the same draws every time), or null for inference.</param>
    public LayerGradientCheck(ILayer<double> layer, int rows, int repeats, int seed, Func<Random?>? training = null)
    {
        this._layer = layer;
        this._rows = rows;
        this._repeats = repeats;
        this._seed = seed;
        this._training = training ?? (() => null);
        _context = new LayerContext<double>(new ReferenceGemmProvider(), layer.ScratchLength);
        var random = new Random(seed);
        _parameters = Draw(random, layer.ParameterCount);
        Inputs = Draw(random, rows * layer.InputWidth);
    }

    /// <summary>The forward rows <c>x</c>, <c>[rows, InputWidth]</c> (may be replaced before <see cref="Run"/>).</summary>
    public double[] Inputs { get; set; }

    public double[] Parameters => _parameters;

    /// <summary>Runs the forward pass on <paramref name="x"/> with <paramref name="theta"/>; returns the output and the cache.</summary>
    public (double[] Output, double[] Cache) Forward(double[] theta, double[] x, int count)
    {
        var output = new double[count * _layer.OutputWidth];
        var cache = new double[count * _layer.CacheWidth];
        _layer.Forward(_context, theta, x, output, cache, count, _training());
        return (output, cache);
    }

    /// <summary>Checks every pass; returns the largest relative error seen.</summary>
    public double Run()
    {
        var random = new Random(_seed + 1);
        int inWidth = _layer.InputWidth, outWidth = _layer.OutputWidth, vectorRows = _repeats * _rows;
        (double[] _, double[] cache) = Forward(_parameters, Inputs, _rows);
        double[] outputGradient = Draw(random, _rows * outWidth);
        double[] vectors = Draw(random, vectorRows * outWidth);           // g, at the output
        double[] adjoints = Draw(random, vectorRows * inWidth);           // ubar, at the input
        var errors = new List<double>();

        // Backward adds J^T dy into a pre-filled gradient.
        double[] prefill = Draw(random, _rows * inWidth);
        double[] backward = (double[])prefill.Clone();
        _layer.Backward(_context, _parameters, cache, outputGradient, backward, _rows);
        for (int j = 0; j < backward.Length; j++) backward[j] -= prefill[j];
        double[] expectedBackward = InputDerivative(outputGradient, Enumerable.Range(0, _rows).ToArray(), _rows);
        errors.Add(NumericAssert.Close(expectedBackward, backward, Tolerance, "backward"));

        // VJP: vector row p * rows + i is J(x_i)^T g.
        var vjp = new double[vectorRows * inWidth];
        Array.Fill(vjp, double.NaN);
        _layer.Vjp(_context, _parameters, cache, vectors, vjp, _rows, _repeats);
        int[] owners = Enumerable.Range(0, vectorRows).Select(r => r % _rows).ToArray();
        errors.Add(NumericAssert.Close(InputDerivative(vectors, owners, vectorRows), vjp, Tolerance, "VJP"));

        // Reverse VJP: gbar = J(x_i) ubar (directional derivative), curvature into the row gradient.
        var reverse = new double[vectorRows * outWidth];
        Array.Fill(reverse, double.NaN);
        double[] curvature = (double[])prefill.Clone();
        _layer.ReverseVjp(_context, _parameters, cache, vectors, adjoints, reverse, curvature, _rows, _repeats);
        for (int j = 0; j < curvature.Length; j++) curvature[j] -= prefill[j];
        var expectedReverse = new double[vectorRows * outWidth];
        for (int r = 0; r < vectorRows; r++)
        {
            double[] direction = adjoints.AsSpan(r * inWidth, inWidth).ToArray();
            double[] slope = Difference(t => ForwardRow(owners[r], Shift(RowOf(Inputs, owners[r], inWidth), direction, t)));
            slope.CopyTo(expectedReverse, r * outWidth);
        }

        errors.Add(NumericAssert.Close(expectedReverse, reverse, Tolerance, "reverse VJP (gbar)"));
        double[] expectedCurvature = CurvatureByDifferences(vectors, adjoints, owners);
        errors.Add(NumericAssert.Close(expectedCurvature, curvature, CurvatureTolerance, "reverse VJP (curvature term)", scaleFloor: 1));

        // Parameter gradient over [x; ubar] and [dy; g]: d/dtheta [sum_i dy_i^T f(x_i) + sum_r g_r^T J(x_(i(r))) ubar_r].
        if (_layer.ParameterCount > 0)
        {
            double[] stackedInputs = [.. Inputs, .. adjoints];
            double[] stackedGradients = [.. outputGradient, .. vectors];
            var parameterGradient = new double[_layer.ParameterCount];
            Array.Fill(parameterGradient, double.NaN);
            _layer.ComputeParameterGradient(_context, stackedInputs, stackedGradients, _rows, vectorRows, parameterGradient);
            var expected = new double[_layer.ParameterCount];
            for (int q = 0; q < expected.Length; q++)
            {
                expected[q] = Difference(t =>
                {
                    double[] theta = (double[])_parameters.Clone();
                    theta[q] += t;
                    return [Objective(theta, outputGradient, vectors, adjoints, owners)];
                })[0];
            }

            errors.Add(NumericAssert.Close(expected, parameterGradient, Tolerance, "parameter gradient"));
        }

        return errors.Max();
    }

    /// <summary><c>sum_i dy_i^T f(x_i; theta) + sum_r g_r^T (J(x_i; theta) ubar_r)</c>, the second term from the reverse VJP.</summary>
    private double Objective(double[] theta, double[] outputGradient, double[] vectors, double[] adjoints, int[] owners)
    {
        (double[] output, double[] cache) = Forward(theta, Inputs, _rows);
        double total = Dot(output, outputGradient);
        var gbar = new double[vectors.Length];
        _layer.ReverseVjp(_context, theta, cache, vectors, adjoints, gbar, new double[_rows * _layer.InputWidth], _rows, _repeats);
        return total + Dot(gbar, vectors);
    }

    /// <summary>Row <c>r</c> of the result: <c>d/dx [w_r^T f(x)]</c> at <c>x = Inputs[owner[r]]</c>.</summary>
    private double[] InputDerivative(double[] weights, int[] owner, int count)
    {
        int inWidth = _layer.InputWidth, outWidth = _layer.OutputWidth;
        var result = new double[count * inWidth];
        for (int r = 0; r < count; r++)
        {
            double[] x = RowOf(Inputs, owner[r], inWidth);
            double[] w = weights.AsSpan(r * outWidth, outWidth).ToArray();
            for (int j = 0; j < inWidth; j++)
            {
                result[r * inWidth + j] = Difference(t => [Dot(ForwardRow(owner[r], Shift(x, Unit(inWidth, j), t)), w)])[0];
            }
        }

        return result;
    }

    /// <summary>Row <c>i</c>: <c>d/dx sum_(r of row i) g_r^T J(x) ubar_r</c>, the J(x) ubar from forward differences in direction ubar.</summary>
    private double[] CurvatureByDifferences(double[] vectors, double[] adjoints, int[] owners)
    {
        int inWidth = _layer.InputWidth, outWidth = _layer.OutputWidth;
        var result = new double[_rows * inWidth];
        const double inner = 1e-3;
        for (int r = 0; r < owners.Length; r++)
        {
            double[] g = vectors.AsSpan(r * outWidth, outWidth).ToArray();
            double[] direction = adjoints.AsSpan(r * inWidth, inWidth).ToArray();
            double[] x = RowOf(Inputs, owners[r], inWidth);
            for (int j = 0; j < inWidth; j++)
            {
                // Mixed second difference: d^2/(ds dt) g^T f(x + s e_j + t ubar) at 0.
                double F(double s, double t) => Dot(ForwardRow(owners[r], Shift(Shift(x, Unit(inWidth, j), s), direction, t)), g);
                result[owners[r] * inWidth + j] += (F(inner, inner) - F(inner, -inner) - F(-inner, inner) + F(-inner, -inner)) / (4 * inner * inner);
            }
        }

        return result;
    }

    /// <summary>
    /// The output of row <paramref name="row"/> when its input is replaced by <paramref name="x"/>: the whole batch runs,
    /// so a training-mode layer draws the same mask for that row as in the pass under test.
    /// </summary>
    private double[] ForwardRow(int row, double[] x)
    {
        double[] batch = (double[])Inputs.Clone();
        x.CopyTo(batch, row * _layer.InputWidth);
        return Forward(_parameters, batch, _rows).Output.AsSpan(row * _layer.OutputWidth, _layer.OutputWidth).ToArray();
    }

    private static double[] Difference(Func<double, double[]> f)
    {
        double[] plus = f(Step), minus = f(-Step);
        var result = new double[plus.Length];
        for (int j = 0; j < plus.Length; j++) result[j] = (plus[j] - minus[j]) / (2 * Step);
        return result;
    }

    private static double[] Draw(Random random, int count) => Enumerable.Range(0, count).Select(_ => 2 * random.NextDouble() - 1).ToArray();

    private static double[] RowOf(double[] matrix, int row, int width) => matrix.AsSpan(row * width, width).ToArray();

    private static double[] Unit(int width, int j)
    {
        var e = new double[width];
        e[j] = 1;
        return e;
    }

    private static double[] Shift(double[] x, double[] direction, double t) => x.Select((v, j) => v + t * direction[j]).ToArray();

    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();
}
