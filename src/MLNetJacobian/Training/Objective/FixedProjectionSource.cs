using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// Projections given explicitly, the same at every call: for golden tests and finite-difference checks, where the
/// penalty must be a deterministic function of the parameters.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class FixedProjectionSource<T> : IProjectionSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _vectors;

    /// <summary>Stores a copy of the vectors.</summary>
    /// <param name="vectors"><c>[projectionCount, rows, classCount]</c> row-major: element <c>[k, i, c]</c> is <c>v_ik[c]</c>.</param>
    /// <param name="projectionCount">P.</param>
    /// <param name="rows">Rows per block.</param>
    /// <param name="classCount">C.</param>
    public FixedProjectionSource(ReadOnlySpan<T> vectors, int projectionCount, int rows, int classCount)
    {
        ProjectionShape.Validate(vectors.Length, projectionCount, rows, classCount);
        if (vectors.Length != projectionCount * rows * classCount)
        {
            throw new ArgumentException(
                $"{vectors.Length} elements given for {projectionCount} x {rows} x {classCount} projections.", nameof(vectors));
        }

        _vectors = vectors.ToArray();
        ProjectionCount = projectionCount;
        Rows = rows;
        ClassCount = classCount;
    }

    /// <summary>P, projections per row.</summary>
    public int ProjectionCount { get; }

    /// <summary>Rows per block.</summary>
    public int Rows { get; }

    /// <summary>C, the length of each vector.</summary>
    public int ClassCount { get; }

    /// <inheritdoc />
    /// <remarks>The requested shape must equal the stored one; <paramref name="random"/> is not used.</remarks>
    public void Fill(Span<T> projections, int projectionCount, int rows, int classCount, Random random)
    {
        ProjectionShape.Validate(projections.Length, projectionCount, rows, classCount);
        if (projectionCount != ProjectionCount || rows != Rows || classCount != ClassCount)
        {
            throw new InvalidOperationException(
                $"Projections of shape {projectionCount} x {rows} x {classCount} were requested; this source holds " +
                $"{ProjectionCount} x {Rows} x {ClassCount}.");
        }

        _vectors.CopyTo(projections);
    }
}
