using MLNetJacobian.Models;

namespace MLNetJacobian.Analysis;

/// <summary>
/// A decision-cell map: the predicted class of any classifier on a square grid of the plane <c>x + s d1 + t d2</c>,
/// <c>s, t in [-Radius, Radius]</c> (<see cref="Compute"/>), and the share of it in the cell of x.
/// </summary>
/// <remarks>
/// Grid point <c>(row, column)</c> is at <c>s = Radius (2 column / (n - 1) - 1)</c> and
/// <c>t = Radius (1 - 2 row / (n - 1))</c>: row 0 is the top (<c>t = +Radius</c>), as drawn. With an odd
/// <c>n</c> the centre point is x itself.
/// </remarks>
public sealed class DecisionCellMap
{
    private const int TargetValuesPerBatch = 4_000_000; // floats per batch of grid points (16 MB)
    private readonly int[] _classes; // [n, n], row-major, row 0 at t = +Radius

    /// <summary>Classifies the <c>n x n</c> grid <c>x + s d1 + t d2</c>, <c>s, t in [-radius, radius]</c>, in batches.</summary>
    /// <param name="classifier">The model.</param>
    /// <param name="plane">The plane.</param>
    /// <param name="radius">The half-width of the square, in feature units; positive and finite.</param>
    /// <param name="resolution">n, grid points per side, at least 3; odd values put x exactly at the centre. Default 161.</param>
    /// <param name="modelName">The model's name for titles.</param>
    /// <exception cref="ArgumentOutOfRangeException">The radius is not positive and finite, or the resolution is outside [3, 4001].</exception>
    /// <exception cref="ArgumentException">The plane's D differs from the classifier's.</exception>
    public static DecisionCellMap Compute(IModel classifier, DecisionPlane plane, double radius, int resolution = 161, string modelName = "model")
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
                double s = CoordinateOf(index % resolution, resolution, radius);
                double t = -CoordinateOf(index / resolution, resolution, radius);
                plane.PointAt(s, t, points.AsSpan(i * d, d));
            }

            ModelPredictions.PredictClasses(classifier, points.AsSpan(0, count * d), count, scores, classes.AsSpan(start, count));
        }

        var center = new int[1];
        ModelPredictions.PredictClasses(classifier, plane.Origin, 1, scores.AsSpan(0, classifier.OutputCount), center);
        return new DecisionCellMap(modelName, plane, radius, resolution, classes, center[0], classifier.ClassNames);
    }

    private DecisionCellMap(string modelName, DecisionPlane plane, double radius, int resolution, int[] classes, int centerClass, IReadOnlyList<string> classNames)
    {
        ModelName = modelName;
        Plane = plane;
        Radius = radius;
        Resolution = resolution;
        _classes = classes;
        CenterClass = centerClass;
        ClassNames = classNames;
        PresentClasses = classes.Distinct().Order().ToArray();
        CenterCellFraction = ConnectedFraction();
    }

    /// <summary>The model's name, for titles.</summary>
    public string ModelName { get; }

    /// <summary>The plane.</summary>
    public DecisionPlane Plane { get; }

    /// <summary>The half-width of the square, in feature units.</summary>
    public double Radius { get; }

    /// <summary>n, the grid points per side.</summary>
    public int Resolution { get; }

    /// <summary>The predicted class at x itself.</summary>
    public int CenterClass { get; }

    /// <summary>The model's class names.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The classes predicted somewhere on the grid, ascending.</summary>
    public IReadOnlyList<int> PresentClasses { get; }

    /// <summary>
    /// The fraction of the grid in the decision cell of x: grid points of x's class connected to the centre
    /// (4-neighbour flood fill). The area of the cell's cross-section, relative to the square.
    /// </summary>
    public double CenterCellFraction { get; }

    /// <summary>The predicted class at grid point (row, column).</summary>
    /// <param name="row">Row, 0 at the top (<c>t = +Radius</c>).</param>
    /// <param name="column">Column, 0 at the left (<c>s = -Radius</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The row or column is outside <c>[0, Resolution)</c>.</exception>
    public int ClassAt(int row, int column)
    {
        if ((uint)row >= (uint)Resolution) throw new ArgumentOutOfRangeException(nameof(row), row, $"The row must be in [0, {Resolution}).");
        if ((uint)column >= (uint)Resolution) throw new ArgumentOutOfRangeException(nameof(column), column, $"The column must be in [0, {Resolution}).");
        return _classes[row * Resolution + column];
    }

    /// <summary>The plane coordinate s of a column.</summary>
    /// <param name="column">Column index.</param>
    public double SAt(int column) => CoordinateOf(column, Resolution, Radius);

    /// <summary>The plane coordinate t of a row.</summary>
    /// <param name="row">Row index.</param>
    public double TAt(int row) => -CoordinateOf(row, Resolution, Radius);

    /// <summary><c>radius (2 index / (n - 1) - 1)</c>: from -radius at index 0 to +radius at index n - 1.</summary>
    private static double CoordinateOf(int index, int resolution, double radius) => radius * (2.0 * index / (resolution - 1) - 1);

    private double ConnectedFraction()
    {
        int n = Resolution, center = (n / 2) * n + n / 2;
        if (_classes[center] != CenterClass) return 0;
        var seen = new bool[_classes.Length];
        var stack = new Stack<int>();
        stack.Push(center);
        seen[center] = true;
        int count = 0;
        while (stack.Count > 0)
        {
            int index = stack.Pop();
            count++;
            int row = index / n, column = index % n;
            Visit(row > 0, index - n);
            Visit(row < n - 1, index + n);
            Visit(column > 0, index - 1);
            Visit(column < n - 1, index + 1);
        }

        return (double)count / _classes.Length;

        void Visit(bool inside, int neighbour)
        {
            if (inside && !seen[neighbour] && _classes[neighbour] == CenterClass)
            {
                seen[neighbour] = true;
                stack.Push(neighbour);
            }
        }
    }
}
