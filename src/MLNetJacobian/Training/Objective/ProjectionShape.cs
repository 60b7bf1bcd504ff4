namespace MLNetJacobian.Training;

/// <summary>Argument checks shared by the projection sources.</summary>
internal static class ProjectionShape
{
    /// <summary>Throws unless the counts are positive and the buffer holds <c>[projectionCount, rows, classCount]</c>.</summary>
    public static void Validate(int length, int projectionCount, int rows, int classCount)
    {
        if (projectionCount < 1) throw new ArgumentOutOfRangeException(nameof(projectionCount), projectionCount, "At least one projection is needed.");
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "At least one row is needed.");
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "At least one class is needed.");
        long needed = (long)projectionCount * rows * classCount;
        if (length < needed)
        {
            throw new ArgumentException($"The projection buffer holds {length} elements; {needed} are needed.", "projections");
        }
    }
}
