using Microsoft.ML;
using MLNetJacobian.Data;
using MLNetJacobian.Models;

namespace MLNetJacobian.Analysis;

/// <summary>
/// Distance from inputs to the decision boundary of any classifier, along random directions and along the direction
/// that most decreases the margin: the size of the decision cell around each input.
/// </summary>
/// <remarks>
/// <para>Random directions are normalized Gaussian vectors (uniform on the unit sphere), drawn from a generator seeded
/// with the options' seed and the example's index, so results are reproducible and do not depend on batching.</para>
/// <para>The gradient direction: with <c>t</c> the predicted class and <c>s</c> the runner-up by the source's outputs,
/// the margin <c>m = f_t - f_s</c> has gradient <c>g = J^T (e_t - e_s)</c>; the search runs along <c>-g / ||g||</c>.
/// For a single binary margin <c>f</c>, <c>m = +-f</c>. A zero gradient (tree ensembles between splits) makes the
/// direction unavailable, reported as such.</para>
/// <para>The Jacobian regularization paper argues that the penalty grows these distances (the decision cells).</para>
/// </remarks>
public static partial class DecisionBoundaryDistance
{
    private const int TargetRowsPerBatch = 4096;

    /// <summary>Searches from one input.</summary>
    /// <param name="classifier">The model.</param>
    /// <param name="features">x: <c>[D]</c>.</param>
    /// <param name="options">Radius, directions and seed; null for the defaults.</param>
    /// <param name="gradientSource">The Jacobian source for the gradient direction; null to skip it.</param>
    /// <param name="exampleIndex">The index that, with the seed, picks the random directions.</param>
    /// <exception cref="ArgumentNullException"><paramref name="classifier"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="features"/> does not hold D values, the gradient source's D or outputs do not fit the classifier,
    /// or the options leave no direction to search.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range.</exception>
    public static BoundaryDistanceReport.Example Measure(IModel classifier, ReadOnlySpan<float> features, Options? options = null,
        IJacobianModel? gradientSource = null, int exampleIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        options ??= new Options();
        options.Validate();
        CheckSource(classifier, gradientSource);
        if (features.Length != classifier.FeatureCount)
        {
            throw new ArgumentException($"features has {features.Length} values; the classifier expects D = {classifier.FeatureCount}.", nameof(features));
        }

        return MeasureBlock(classifier, features.ToArray(), [null], [exampleIndex], options, gradientSource)[0];
    }

    /// <summary>Searches from every row of a data view and summarizes.</summary>
    /// <param name="classifier">The model.</param>
    /// <param name="data">The examples.</param>
    /// <param name="options">Radius, directions, seed and column names; null for the defaults.</param>
    /// <param name="gradientSource">The Jacobian source for the gradient direction; null to skip it (noted in the report).</param>
    /// <exception cref="ArgumentNullException"><paramref name="classifier"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A column is missing or of the wrong type or length, the data has no rows, the gradient source does not fit the
    /// classifier, or the options leave no direction to search.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range.</exception>
    public static BoundaryDistanceReport Measure(IModel classifier, IDataView data, Options? options = null, IJacobianModel? gradientSource = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        options ??= new Options();
        options.Validate();
        return Measure(classifier, DataViewExamples.FromDataView(data, classifier.FeatureCount, options.FeatureColumnName, options.LabelColumnName, options.MaxExamples), options, gradientSource);
    }

    /// <summary>Searches from every row of an in-memory data set and summarizes.</summary>
    /// <param name="classifier">The model.</param>
    /// <param name="data">The examples.</param>
    /// <param name="options">Radius, directions and seed; null for the defaults.</param>
    /// <param name="gradientSource">The Jacobian source for the gradient direction; null to skip it (noted in the report).</param>
    /// <exception cref="ArgumentNullException"><paramref name="classifier"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The data's D differs from the classifier's, the data has no rows, the gradient source does not fit the classifier,
    /// or the options leave no direction to search.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range.</exception>
    public static BoundaryDistanceReport Measure(IModel classifier, LabeledDataset data, Options? options = null, IJacobianModel? gradientSource = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new Options();
        options.Validate();
        if (data.FeatureCount != classifier.FeatureCount)
        {
            throw new ArgumentException($"The data has D = {data.FeatureCount} features per row; the classifier expects {classifier.FeatureCount}.", nameof(data));
        }

        return Measure(classifier, DataViewExamples.FromDataset(data, options.MaxExamples), options, gradientSource);
    }

    private static BoundaryDistanceReport Measure(IModel classifier, DataViewExamples examples, Options options, IJacobianModel? gradientSource)
    {
        CheckSource(classifier, gradientSource);
        if (examples.Count == 0) throw new ArgumentException("The data has no rows to analyze.", "data");
        var notices = new List<string>();
        if (options.IncludeGradientDirection && gradientSource is null)
        {
            notices.Add("No Jacobian source was given: the gradient direction was skipped.");
        }

        int raysPerExample = options.RandomDirectionCount + (options.IncludeGradientDirection && gradientSource is not null ? 1 : 0);
        int block = Math.Max(1, TargetRowsPerBatch / Math.Max(1, raysPerExample * options.ScanSteps));
        var results = new List<BoundaryDistanceReport.Example>(examples.Count);
        int d = classifier.FeatureCount;
        for (int start = 0; start < examples.Count; start += block)
        {
            int count = Math.Min(block, examples.Count - start);
            results.AddRange(MeasureBlock(classifier, examples.Features.AsSpan(start * d, count * d).ToArray(),
                examples.Labels.AsSpan(start, count).ToArray(), Enumerable.Range(start, count).ToArray(), options, gradientSource));
        }

        BoundaryDistanceReport.Summary? gradientSummary = null;
        if (options.IncludeGradientDirection && gradientSource is not null)
        {
            gradientSummary = BoundaryDistanceReport.Summary.Of(results.Select(r => r.GradientDirection!));
            if (gradientSummary.UnavailableCount > 0)
            {
                notices.Add($"The gradient was zero at {gradientSummary.UnavailableCount} of {results.Count} examples (piecewise-constant model or saturated outputs): no gradient direction there.");
            }
        }

        bool random = options.RandomDirectionCount > 0;
        return new BoundaryDistanceReport(options, classifier.ClassNames, results,
            random ? BoundaryDistanceReport.Summary.Of(results.SelectMany(r => r.RandomDirections)) : null,
            random ? BoundaryDistanceReport.Summary.Of(results.Select(r => r.NearestRandomDistance is { } nearest
                ? new BoundaryDistanceReport.SearchResult(BoundaryDistanceReport.SearchOutcome.Found, nearest, null) : BoundaryDistanceReport.SearchResult.NotFound)) : null,
            gradientSummary, notices);
    }

    private static BoundaryDistanceReport.Example[] MeasureBlock(IModel classifier, float[] origins, int?[] labels, int[] indices,
        Options options, IJacobianModel? gradientSource)
    {
        int d = classifier.FeatureCount, count = indices.Length, randomCount = options.RandomDirectionCount;
        bool gradient = options.IncludeGradientDirection && gradientSource is not null;
        var scores = new float[count * classifier.OutputCount];
        var originClasses = new int[count];
        ModelPredictions.PredictClasses(classifier, origins, count, scores, originClasses);

        var rayOrigins = new List<int>();
        var directions = new List<double>();
        var gradientRay = new int?[count]; // index of the example's gradient ray, null when unavailable
        var direction = new double[d];
        for (int e = 0; e < count; e++)
        {
            var random = new Random(RandomDirections.SeedFor(options.Seed, indices[e]));
            for (int k = 0; k < randomCount; k++)
            {
                RandomDirections.FillUnit(random, direction);
                rayOrigins.Add(e);
                directions.AddRange(direction);
            }

            if (gradient && MarginDescentDirection(gradientSource!, origins.AsSpan(e * d, d), originClasses[e], direction))
            {
                gradientRay[e] = rayOrigins.Count;
                rayOrigins.Add(e);
                directions.AddRange(direction);
            }
        }

        BoundaryDistanceReport.SearchResult[] found = RayBoundarySearch.Search(classifier, origins, originClasses, rayOrigins.ToArray(), directions.ToArray(), options);
        var results = new BoundaryDistanceReport.Example[count];
        for (int e = 0; e < count; e++)
        {
            BoundaryDistanceReport.SearchResult[] random = Enumerable.Range(0, rayOrigins.Count).Where(r => rayOrigins[r] == e && r != gradientRay[e]).Select(r => found[r]).ToArray();
            BoundaryDistanceReport.SearchResult? alongGradient = !gradient ? null : gradientRay[e] is { } ray ? found[ray] : BoundaryDistanceReport.SearchResult.Unavailable;
            results[e] = new BoundaryDistanceReport.Example(indices[e], labels[e], originClasses[e], random, alongGradient);
        }

        return results;
    }

    /// <summary>Fills <paramref name="direction"/> with <c>-g / ||g||</c>, g the gradient of the margin; false when g is zero.</summary>
    private static bool MarginDescentDirection(IJacobianModel source, ReadOnlySpan<float> x, int predictedClass, Span<double> direction)
    {
        int c = source.OutputCount, d = source.FeatureCount;
        var outputs = new double[c];
        var jacobian = new double[c * d]; // [C, D]
        source.ComputeJacobian(x, outputs, jacobian);
        direction.Clear();
        if (c == 1)
        {
            double sign = predictedClass == 1 ? -1 : 1; // decrease f when class 1 (f > 0), increase it otherwise
            for (int j = 0; j < d; j++) direction[j] = sign * jacobian[j];
        }
        else
        {
            int runnerUp = -1;
            for (int k = 0; k < c; k++) if (k != predictedClass && (runnerUp < 0 || outputs[k] > outputs[runnerUp])) runnerUp = k;
            // -g = J^T (e_s - e_t)
            for (int j = 0; j < d; j++) direction[j] = jacobian[runnerUp * d + j] - jacobian[predictedClass * d + j];
        }

        double norm = RandomDirections.Norm(direction);
        if (!(norm > 0) || !double.IsFinite(norm)) return false;
        for (int j = 0; j < d; j++) direction[j] /= norm;
        return true;
    }

    private static void CheckSource(IModel classifier, IJacobianModel? source)
    {
        if (source is null) return;
        if (source.FeatureCount != classifier.FeatureCount)
        {
            throw new ArgumentException($"The gradient source has D = {source.FeatureCount}; the classifier has {classifier.FeatureCount}.", "gradientSource");
        }

        if (source.OutputCount != 1 && source.OutputCount != classifier.ClassNames.Count)
        {
            throw new ArgumentException($"The gradient source has {source.OutputCount} outputs; the classifier has {classifier.ClassNames.Count} classes.", "gradientSource");
        }
    }
}
