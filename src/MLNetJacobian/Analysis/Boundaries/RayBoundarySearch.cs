using MLNetJacobian.Models;

namespace MLNetJacobian.Analysis;

/// <summary>
/// Scan-then-bisect boundary search along many rays at once: every step classifies all active rays in one batch.
/// </summary>
internal static class RayBoundarySearch
{
    /// <summary>Searches each ray <c>x_o + r d</c>, <c>r in (0, MaxRadius]</c>, for the first change of class.</summary>
    /// <param name="classifier">The model.</param>
    /// <param name="origins">x: <c>[E, D]</c>.</param>
    /// <param name="originClasses">The class at each origin: <c>[E]</c>.</param>
    /// <param name="rayOrigins">The origin index of each ray: <c>[R]</c>.</param>
    /// <param name="directions">Unit directions: <c>[R, D]</c>.</param>
    /// <param name="options">Radius, scan and bisection steps.</param>
    public static BoundaryDistanceReport.SearchResult[] Search(IModel classifier, ReadOnlySpan<float> origins, ReadOnlySpan<int> originClasses,
        ReadOnlySpan<int> rayOrigins, ReadOnlySpan<double> directions, DecisionBoundaryDistance.Options options)
    {
        int d = classifier.FeatureCount, rays = rayOrigins.Length, steps = options.ScanSteps;
        var results = new BoundaryDistanceReport.SearchResult[rays];
        if (rays == 0) return results;
        var lower = new double[rays];
        var upper = new double[rays];
        var across = new int[rays];
        var found = new bool[rays];

        // Scan: points [R * K, D], ray-major.
        var points = new float[rays * steps * d];
        for (int ray = 0; ray < rays; ray++)
        {
            for (int k = 1; k <= steps; k++) Point(origins, rayOrigins[ray], directions, ray, d, options.MaxRadius * k / steps, points.AsSpan(((ray * steps) + k - 1) * d, d));
        }

        int[] classes = Classify(classifier, points, rays * steps);
        for (int ray = 0; ray < rays; ray++)
        {
            for (int k = 1; k <= steps; k++)
            {
                int predicted = classes[ray * steps + k - 1];
                if (predicted != originClasses[rayOrigins[ray]])
                {
                    found[ray] = true;
                    lower[ray] = options.MaxRadius * (k - 1) / steps;
                    upper[ray] = options.MaxRadius * k / steps;
                    across[ray] = predicted;
                    break;
                }
            }
        }

        // Bisection over the rays that found a bracket (lower, upper]: the class at upper differs, at lower it does not
        // (or lower is the origin).
        int[] active = Enumerable.Range(0, rays).Where(r => found[r]).ToArray();
        var middle = new float[active.Length * d];
        for (int step = 0; step < options.BisectionSteps && active.Length > 0; step++)
        {
            for (int i = 0; i < active.Length; i++)
            {
                int ray = active[i];
                Point(origins, rayOrigins[ray], directions, ray, d, 0.5 * (lower[ray] + upper[ray]), middle.AsSpan(i * d, d));
            }

            int[] middleClasses = Classify(classifier, middle.AsSpan(0, active.Length * d), active.Length);
            for (int i = 0; i < active.Length; i++)
            {
                int ray = active[i];
                double mid = 0.5 * (lower[ray] + upper[ray]);
                if (middleClasses[i] != originClasses[rayOrigins[ray]])
                {
                    upper[ray] = mid;
                    across[ray] = middleClasses[i];
                }
                else
                {
                    lower[ray] = mid;
                }
            }
        }

        for (int ray = 0; ray < rays; ray++)
        {
            System.Diagnostics.Debug.Assert(!found[ray] || (upper[ray] > 0 && upper[ray] <= options.MaxRadius));
            results[ray] = found[ray] ? new BoundaryDistanceReport.SearchResult(BoundaryDistanceReport.SearchOutcome.Found, upper[ray], across[ray]) : BoundaryDistanceReport.SearchResult.NotFound;
        }

        return results;
    }

    /// <summary>point = x_o + r d, in single precision.</summary>
    private static void Point(ReadOnlySpan<float> origins, int origin, ReadOnlySpan<double> directions, int ray, int d, double radius, Span<float> point)
    {
        ReadOnlySpan<float> x = origins.Slice(origin * d, d);
        ReadOnlySpan<double> direction = directions.Slice(ray * d, d);
        for (int j = 0; j < d; j++) point[j] = (float)(x[j] + radius * direction[j]);
    }

    private static int[] Classify(IModel classifier, ReadOnlySpan<float> points, int rows)
    {
        var scores = new float[rows * classifier.OutputCount];
        var classes = new int[rows];
        ModelPredictions.PredictClasses(classifier, points, rows, scores, classes);
        return classes;
    }
}
