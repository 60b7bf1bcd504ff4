using System.Numerics;
using MLNetJacobian.Network;

namespace MLNetJacobian.Training;

/// <summary>
/// Projections uniform on the unit sphere <c>S^(C-1)</c>: a standard Gaussian vector divided by its norm, drawn
/// independently for every row and projection. For <c>C = 1</c> the projection is the constant 1.
/// </summary>
/// <remarks>
/// Uniformity gives <c>E[v v^T] = I / C</c>, which makes <c>C ||v^T J||^2</c> an unbiased estimate of
/// <c>||J||_F^2</c> (docs/jacobian-math.md). Draws are consumed in the order of the output buffer.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class UnitSphereProjectionSource<T> : IProjectionSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public void Fill(Span<T> projections, int projectionCount, int rows, int classCount, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ProjectionShape.Validate(projections.Length, projectionCount, rows, classCount);
        int vectorCount = projectionCount * rows;
        if (classCount == 1)
        {
            projections[..vectorCount].Fill(T.One);
            return;
        }

        for (int v = 0; v < vectorCount; v++)
        {
            Span<T> vector = projections.Slice(v * classCount, classCount);
            double sumOfSquares;
            do
            {
                sumOfSquares = 0;
                for (int c = 0; c < classCount; c++)
                {
                    double draw = GaussianSampler.Next(random);
                    vector[c] = T.CreateTruncating(draw);
                    sumOfSquares += draw * draw;
                }
            }
            while (sumOfSquares == 0);

            T inverseNorm = T.CreateTruncating(1.0 / Math.Sqrt(sumOfSquares));
            for (int c = 0; c < classCount; c++) vector[c] *= inverseNorm;
        }
    }
}
