using MLNetJacobian.Models;

namespace MLNetJacobian.Analysis;

/// <summary>Classifies a grid of a <see cref="DecisionPlane"/> with any classifier, in batches.</summary>
public static class DecisionCellMap
{
    private const int TargetValuesPerBatch = 4_000_000; // floats per batch of grid points (16 MB)

    /// <summary>Classifies the <c>n x n</c> grid <c>x + s d1 + t d2</c>, <c>s, t in [-radius, radius]</c>.</summary>
    /// <param name="classifier">The model.</param>
    /// <param name="plane">The plane.</param>
    /// <param name="radius">The half-width of the square, in feature units; positive and finite.</param>
    /// <param name="resolution">n, grid points per side, at least 3; odd values put x exactly at the centre. Default 161.</param>
    /// <param name="modelName">The model's name for titles.</param>
    public static DecisionCellGrid Compute(IModel classifier, DecisionPlane plane, double radius, int resolution = 161, string modelName = "model")
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(plane);
        ArgumentNullException.ThrowIfNull(modelName);
        if (!(radius > 0) || !double.IsFinite(radius)) throw new ArgumentOutOfRangeException(nameof(radius), radius, "The radius must be positive and finite.");
        if (resolution < 3 || resolution > 4001) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "The resolution must be in [3, 4001].");
        if (plane.FeatureCount != classifier.FeatureCount)
        {
            throw new ArgumentException($"The plane lives in D = {plane.FeatureCount} dimensions; the classifier expects {classifier.FeatureCount}.", nameof(plane));
        }

        int d = classifier.FeatureCount, total = resolution * resolution;
        int batch = Math.Clamp(TargetValuesPerBatch / d, 1, total);
        var points = new float[batch * d];  // [batch, D]
        var scores = new float[batch * classifier.OutputCount];
        var classes = new int[total];
        for (int start = 0; start < total; start += batch)
        {
            int count = Math.Min(batch, total - start);
            for (int i = 0; i < count; i++)
            {
                int index = start + i;
                double s = DecisionCellGrid.CoordinateOf(index % resolution, resolution, radius);
                double t = -DecisionCellGrid.CoordinateOf(index / resolution, resolution, radius);
                plane.PointAt(s, t, points.AsSpan(i * d, d));
            }

            ModelPredictions.PredictClasses(classifier, points.AsSpan(0, count * d), count, scores, classes.AsSpan(start, count));
        }

        var center = new int[1];
        ModelPredictions.PredictClasses(classifier, plane.Origin, 1, scores.AsSpan(0, classifier.OutputCount), center);
        return new DecisionCellGrid(modelName, plane, radius, resolution, classes, center[0], classifier.ClassNames);
    }
}
