using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>Supplies the projection vectors <c>v</c> of the Jacobian penalty's estimator.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal interface IProjectionSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Writes <paramref name="projectionCount"/> blocks of <paramref name="rows"/> vectors of length
    /// <paramref name="classCount"/>: element <c>[k, i, c]</c> is component <c>c</c> of <c>v_ik</c>, the projection
    /// <c>k</c> of the <c>i</c>-th row the penalty is applied to.
    /// </summary>
    /// <param name="projections"><c>[projectionCount, rows, classCount]</c> row-major, overwritten.</param>
    /// <param name="projectionCount">P, projections per row.</param>
    /// <param name="rows">Rows the penalty is applied to.</param>
    /// <param name="classCount">C, the length of each vector.</param>
    /// <param name="random">The source of randomness.</param>
    void Fill(Span<T> projections, int projectionCount, int rows, int classCount, Random random);
}
