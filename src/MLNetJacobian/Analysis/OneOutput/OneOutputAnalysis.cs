using System.Globalization;
using System.Numerics.Tensors;
using MLNetJacobian.Models;
using MLNetJacobian.Network;

namespace MLNetJacobian.Analysis;

/// <summary>
/// What the input gradient says about a one-output model (a binary classifier's logit, a regressor's prediction):
/// per-example gradients and each feature's share, response curves of several models along one feature, and a local
/// Lipschitz estimate per example. Get a white-box model of an ML.NET pipeline with <see cref="MlNetModel.Create"/>.
/// </summary>
public static partial class OneOutputAnalysis
{
    /// <summary>The input gradient at each of <paramref name="rows"/> examples, its norms and the features' shares.</summary>
    /// <remarks>
    /// Exact for a differentiable model (one forward and backward pass per batch); any other model (trees) gets central
    /// differences with steps of 1e-3 of each feature's range over the rows (<see cref="FiniteDifferenceJacobian.ForData"/>),
    /// which for a piecewise-constant model are zero except near a split: <see cref="InputGradientReport.IsExact"/> says which.
    /// </remarks>
    /// <param name="model">A model with one output.</param>
    /// <param name="features">x, <c>[rows, D]</c> row-major.</param>
    /// <param name="rows">The number of examples (at least 1).</param>
    /// <param name="featureNames">D names for the report; null for the indices.</param>
    /// <exception cref="ArgumentException">The model has more than one output, or the shapes do not fit.</exception>
    public static InputGradientReport InputGradients(IModel model, float[] features, int rows, IReadOnlyList<string>? featureNames = null)
    {
        int d = CheckOneOutput(model);
        ArgumentNullException.ThrowIfNull(features);
        if (rows < 1 || features.Length < rows * d) throw new ArgumentException($"features holds {features.Length} values; {rows} rows of D = {d} are needed.", nameof(features));
        string[] names = Names(featureNames, d);
        (double[] outputs, double[] gradients, bool exact) = Gradients(model, features, rows);
        var examples = new List<InputGradientReport.Example>(rows);
        var meanShare = new double[d];
        var meanAbsolute = new double[d];
        for (int i = 0; i < rows; i++)
        {
            double[] g = gradients.AsSpan(i * d, d).ToArray();
            double l1 = g.Sum(Math.Abs), l2 = Math.Sqrt(g.Sum(v => v * v));
            double[] shares = g.Select(v => l1 > 0 ? Math.Abs(v) / l1 : 0).ToArray();
            for (int j = 0; j < d; j++)
            {
                meanShare[j] += shares[j] / rows;
                meanAbsolute[j] += Math.Abs(g[j]) / rows;
            }

            examples.Add(new InputGradientReport.Example(i, outputs[i], g, l2, l1, shares));
        }

        var ranked = Enumerable.Range(0, d).Select(j => new InputGradientReport.FeatureShare(j, names[j], meanShare[j], meanAbsolute[j])).OrderByDescending(f => f.MeanShare).ToList();
        return new InputGradientReport(model.Description, exact, examples, DistributionSummary.Of(examples.Select(e => e.L2Norm)), ranked);
    }

    /// <summary>
    /// Each model's prediction as feature <paramref name="feature"/> takes <paramref name="points"/> evenly spaced values in
    /// <c>[from, to]</c> and the other features keep <paramref name="example"/>'s values: a network's smooth curve beside a
    /// tree's steps (draw it with <c>ResponseCurvePlot</c> of MLNetJacobian.Plotting).
    /// </summary>
    /// <param name="models">The models by display name, each with one output and the example's D features.</param>
    /// <param name="example">x, <c>[D]</c>.</param>
    /// <param name="feature">The slot moved.</param>
    /// <param name="from">The first value.</param>
    /// <param name="to">The last value (above <paramref name="from"/>).</param>
    /// <param name="points">The number of values (at least 2); default 201, fine enough to show a tree's steps.</param>
    /// <param name="featureName">The feature's name; null for its index.</param>
    /// <exception cref="ArgumentException">No models, a model with several outputs or another feature count, or a bad range.</exception>
    public static ResponseCurve ResponseCurve(IReadOnlyList<(string Name, IModel Model)> models, ReadOnlySpan<float> example, int feature, double from, double to,
        int points = 201, string? featureName = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0) throw new ArgumentException("At least one model is needed.", nameof(models));
        int d = example.Length;
        if (feature < 0 || feature >= d) throw new ArgumentOutOfRangeException(nameof(feature), feature, $"The feature must be a slot in [0, {d - 1}].");
        if (!double.IsFinite(from) || !double.IsFinite(to) || !(from < to)) throw new ArgumentException($"The range [{from}, {to}] must be finite with from < to.", nameof(from));
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "At least 2 points are needed.");
        double[] values = Enumerable.Range(0, points).Select(k => from + (to - from) * k / (points - 1)).ToArray();
        var rows = new float[(points + 1) * d];   // the example itself last
        for (int k = 0; k <= points; k++)
        {
            example.CopyTo(rows.AsSpan(k * d, d));
            if (k < points) rows[k * d + feature] = (float)values[k];
        }

        var series = new List<ResponseCurve.ModelSeries>();
        foreach ((string name, IModel model) in models)
        {
            if (CheckOneOutput(model) != d) throw new ArgumentException($"The model '{name}' reads {model.FeatureCount} features; the example has {d}.", nameof(models));
            var outputs = new float[points + 1];
            model.ComputeOutputs(rows, points + 1, outputs);
            series.Add(new ResponseCurve.ModelSeries(name, outputs.Take(points).Select(v => (double)v).ToArray(), outputs[points]));
        }

        return new ResponseCurve(feature, featureName ?? feature.ToString(CultureInfo.InvariantCulture), example[feature], values, series);
    }

    /// <summary>
    /// Per example, the largest input-gradient L2 norm found in the L2 ball of <see cref="LocalLipschitzOptions.Radius"/>:
    /// a lower bound on the model's local Lipschitz constant there (in output units per feature unit, L2).
    /// </summary>
    /// <remarks>
    /// The gradient is evaluated at the example and at <see cref="LocalLipschitzOptions.Samples"/> points drawn uniformly
    /// in the ball (one batch); from the best of them, <see cref="LocalLipschitzOptions.AscentSteps"/> steps of length
    /// <c>2 r / steps</c> ascend <c>||g||^2</c> along <c>H g</c>, its gradient up to a factor 2, estimated by the difference
    /// of two input gradients <c>(g(x + h g/||g||) - g(x)) ||g|| / h</c> with <c>h = 1e-3 r</c>, each step projected back
    /// onto the ball. For a linear model every point gives the same norm, <c>||w||_2</c>.
    /// </remarks>
    /// <param name="model">A differentiable one-output model.</param>
    /// <param name="features">x, <c>[rows, D]</c>.</param>
    /// <param name="rows">The number of examples.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">The model has more than one output, or the shapes or settings do not fit.</exception>
    public static IReadOnlyList<LocalLipschitzEstimate> LocalLipschitz(IDifferentiableModel model, float[] features, int rows, LocalLipschitzOptions? options = null)
    {
        int d = CheckOneOutput(model);
        ArgumentNullException.ThrowIfNull(features);
        options ??= new LocalLipschitzOptions();
        options.Validate();
        if (rows < 1 || features.Length < rows * d) throw new ArgumentException($"features holds {features.Length} values; {rows} rows of D = {d} are needed.", nameof(features));
        var results = new List<LocalLipschitzEstimate>(rows);
        double r = options.Radius;
        int m = options.Samples + 1;
        var candidates = new float[m * d];
        var outputs = new float[m];
        var gradients = new float[m * d];
        var pair = new float[2 * d];
        var pairGradients = new float[2 * d];
        var pairOutputs = new float[2];
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> x0 = features.AsSpan(i * d, d);
            var random = new Random(unchecked(options.Seed * 486_187_739 + i));
            x0.CopyTo(candidates);
            for (int k = 1; k < m; k++)
            {
                Span<float> x = candidates.AsSpan(k * d, d);
                GaussianSampler.Fill(random, x);
                float norm = TensorPrimitives.Norm(x);
                double radius = r * Math.Pow(random.NextDouble(), 1.0 / d);
                for (int j = 0; j < d; j++) x[j] = x0[j] + (norm > 0 ? (float)(radius / norm) * x[j] : 0f);
            }

            model.ComputeInputGradient(candidates, m, UnitSeed.Instance, outputs, gradients);
            int evaluations = m;
            double atExample = TensorPrimitives.Norm(gradients.AsSpan(0, d));
            int best = 0;
            for (int k = 1; k < m; k++)
            {
                if (TensorPrimitives.Norm(gradients.AsSpan(k * d, d)) > TensorPrimitives.Norm(gradients.AsSpan(best * d, d))) best = k;
            }

            double bestNorm = TensorPrimitives.Norm(gradients.AsSpan(best * d, d));
            float[] current = candidates.AsSpan(best * d, d).ToArray();
            float[] bestPoint = current.ToArray();
            float[] g = gradients.AsSpan(best * d, d).ToArray();
            double h = 1e-3 * r, step = options.AscentSteps > 0 ? 2 * r / options.AscentSteps : 0;
            for (int t = 0; t < options.AscentSteps && r > 0; t++)
            {
                float gNorm = TensorPrimitives.Norm(g);
                if (!(gNorm > 0)) break;
                // H g ~ (g(x + h u) - g(x)) ||g|| / h with u = g / ||g||; the second row is x itself, for the new g.
                current.CopyTo(pair.AsSpan(d, d));
                for (int j = 0; j < d; j++) pair[j] = current[j] + (float)(h * g[j] / gNorm);
                model.ComputeInputGradient(pair, 2, UnitSeed.Instance, pairOutputs, pairGradients);
                evaluations += 2;
                var direction = new double[d];
                for (int j = 0; j < d; j++) direction[j] = (pairGradients[j] - (double)pairGradients[d + j]) * gNorm / h;
                double length = Math.Sqrt(direction.Sum(v => v * v));
                if (!(length > 0) || !double.IsFinite(length)) break;
                for (int j = 0; j < d; j++) current[j] += (float)(step * direction[j] / length);
                ProjectOntoBall(current, x0, r);
                current.CopyTo(pair.AsSpan(0, d));
                model.ComputeInputGradient(pair, 1, UnitSeed.Instance, pairOutputs, pairGradients);
                evaluations++;
                pairGradients.AsSpan(0, d).CopyTo(g);
                double norm = TensorPrimitives.Norm(g);
                if (norm > bestNorm)
                {
                    bestNorm = norm;
                    current.CopyTo(bestPoint, 0);
                }
            }

            results.Add(new LocalLipschitzEstimate(i, atExample, bestNorm, TensorPrimitives.Distance(bestPoint, x0), evaluations));
        }

        return results;
    }

    private static void ProjectOntoBall(float[] x, ReadOnlySpan<float> center, double radius)
    {
        double distance = TensorPrimitives.Distance(x, center);
        if (distance <= radius) return;
        double scale = radius / distance;
        for (int j = 0; j < x.Length; j++) x[j] = (float)(center[j] + (x[j] - (double)center[j]) * scale);
    }

    private static int CheckOneOutput(IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.OutputCount != 1)
        {
            throw new ArgumentException($"The model '{model.Description}' has {model.OutputCount} outputs; these tools take one-output models (binary classifiers, regressors).", nameof(model));
        }

        return model.FeatureCount;
    }

    private static string[] Names(IReadOnlyList<string>? names, int d)
    {
        if (names is null) return Enumerable.Range(0, d).Select(j => j.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (names.Count != d) throw new ArgumentException($"{names.Count} feature names were given for D = {d} features.", nameof(names));
        return names.ToArray();
    }

    /// <summary>Outputs and input gradients of every row: exact for a differentiable model, else central differences.</summary>
    private static (double[] Outputs, double[] Gradients, bool Exact) Gradients(IModel model, float[] features, int rows)
    {
        int d = model.FeatureCount;
        var outputs = new double[rows];
        var gradients = new double[rows * d];
        if (model is IDifferentiableModel differentiable)
        {
            var z = new float[rows];
            var g = new float[rows * d];
            differentiable.ComputeInputGradient(features.AsSpan(0, rows * d), rows, UnitSeed.Instance, z, g);
            for (int i = 0; i < rows; i++) outputs[i] = z[i];
            for (int k = 0; k < rows * d; k++) gradients[k] = g[k];
            return (outputs, gradients, true);
        }

        IJacobianModel jacobian = model as IJacobianModel ?? FiniteDifferenceJacobian.ForData(model, features.AsSpan(0, rows * d));
        var output = new double[1];
        for (int i = 0; i < rows; i++)
        {
            jacobian.ComputeJacobian(features.AsSpan(i * d, d), output, gradients.AsSpan(i * d, d));
            outputs[i] = output[0];
        }

        return (outputs, gradients, jacobian.IsJacobianExact);
    }

    /// <summary>The seed <c>dL/dz = 1</c>: the backward pass returns the gradient of the output itself.</summary>
    private sealed class UnitSeed : IOutputGradient
    {
        public static UnitSeed Instance { get; } = new();

        public void Compute(int firstRow, int rows, ReadOnlySpan<float> outputs, Span<float> outputGradient) => outputGradient[..rows].Fill(1f);
    }
}
