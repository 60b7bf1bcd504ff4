using MathNet.Numerics.LinearAlgebra;

namespace MLNetJacobian.Analysis;

/// <summary>
/// Summary numbers of one Jacobian <c>J</c> (<c>C x D</c>, outputs by features): its norms, singular values,
/// condition number and, when it is square, the log of its absolute determinant.
/// </summary>
/// <remarks>
/// <para>With singular values <c>sigma_1 &gt;= ... &gt;= sigma_m &gt;= 0</c>, <c>m = min(C, D)</c>:</para>
/// <list type="bullet">
/// <item><c>||J||_F = sqrt(sum_ij J_ij^2) = sqrt(sum_k sigma_k^2)</c>; equals <c>sqrt(D)</c> times the RMS of
/// <c>|J u|</c> over unit input directions <c>u</c>.</item>
/// <item><c>||J||_2 = sigma_1</c>: the worst-case amplification of a unit input change.</item>
/// <item><c>sigma_1 &lt;= ||J||_F &lt;= sqrt(rank) sigma_1</c>.</item>
/// <item>Condition number <c>sigma_1 / sigma_m</c>; positive infinity when <c>J</c> does not have full rank
/// <c>m</c> (some <c>sigma_k</c> at or below the rank tolerance).</item>
/// <item>When <c>C = D</c>: <c>log|det J| = sum_k log sigma_k = sum_i log|u_ii|</c> of the LU factors, computed as
/// a sum of logs so that it neither overflows nor underflows; negative infinity for a singular matrix.</item>
/// </list>
/// The decompositions run in double precision through MathNet.Numerics (analysis code, not a hot path).
/// </remarks>
/// <param name="OutputCount">C, the number of rows (outputs).</param>
/// <param name="FeatureCount">D, the number of columns (input features).</param>
/// <param name="FrobeniusNorm"><c>||J||_F</c>.</param>
/// <param name="SpectralNorm"><c>||J||_2</c>, the largest singular value.</param>
/// <param name="SingularValues">All <c>min(C, D)</c> singular values, largest first.</param>
/// <param name="Rank">The numerical rank: the number of singular values above <paramref name="RankTolerance"/>.</param>
/// <param name="RankTolerance">The threshold used for <paramref name="Rank"/>.</param>
/// <param name="ConditionNumber">Largest over smallest singular value; positive infinity when rank deficient.</param>
/// <param name="LogAbsDeterminant"><c>log|det J|</c> when <c>C = D</c>, otherwise null.</param>
public sealed record JacobianStatistics(
    int OutputCount,
    int FeatureCount,
    double FrobeniusNorm,
    double SpectralNorm,
    IReadOnlyList<double> SingularValues,
    int Rank,
    double RankTolerance,
    double ConditionNumber,
    double? LogAbsDeterminant)
{
    /// <summary>Computes the statistics of a row-major <c>C x D</c> Jacobian.</summary>
    /// <param name="jacobian">J, row-major <c>[C, D]</c>.</param>
    /// <param name="outputCount">C.</param>
    /// <param name="featureCount">D.</param>
    /// <param name="rankTolerance">
    /// Singular values at or below this count as zero. When null: <c>max(C, D) * sigma_1 * 2^-52</c>
    /// (the usual choice for a matrix known to double precision). Pass a larger value, for example
    /// <c>max(C, D) * sigma_1 * 1.2e-7</c>, for a Jacobian computed in single precision.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or the span length is not <c>C * D</c>.</exception>
    /// <exception cref="ArgumentException">The Jacobian contains NaN or infinity.</exception>
    public static JacobianStatistics Compute(ReadOnlySpan<double> jacobian, int outputCount, int featureCount, double? rankTolerance = null)
    {
        if (outputCount < 1) throw new ArgumentOutOfRangeException(nameof(outputCount), outputCount, "C must be at least 1.");
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "D must be at least 1.");
        if (jacobian.Length != outputCount * featureCount)
        {
            throw new ArgumentOutOfRangeException(nameof(jacobian), jacobian.Length,
                $"The Jacobian must hold C * D = {outputCount} * {featureCount} = {outputCount * featureCount} values.");
        }

        for (int i = 0; i < jacobian.Length; i++)
        {
            if (!double.IsFinite(jacobian[i]))
            {
                throw new ArgumentException($"Jacobian entry ({i / featureCount}, {i % featureCount}) is {jacobian[i]}; every entry must be finite.", nameof(jacobian));
            }
        }

        if (rankTolerance is { } given && !(given >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(rankTolerance), given, "The rank tolerance must be zero or positive.");
        }

        // J: [C, D] row-major; MathNet stores column-major, DenseOfRowMajor converts.
        Matrix<double> matrix = Matrix<double>.Build.DenseOfRowMajor(outputCount, featureCount, jacobian.ToArray());
        double[] singularValues = matrix.Svd(computeVectors: false).S.ToArray();
        Array.Sort(singularValues, (a, b) => b.CompareTo(a));
        double largest = singularValues[0];
        double tolerance = rankTolerance ?? Math.Max(outputCount, featureCount) * largest * Math.Pow(2, -52);
        int rank = singularValues.Count(s => s > tolerance);
        double condition = rank == singularValues.Length ? largest / singularValues[^1] : double.PositiveInfinity;
        double frobenius = Math.Sqrt(jacobian.ToArray().Sum(v => v * v));
        double? logAbsDeterminant = outputCount == featureCount ? LogAbsDeterminantOf(matrix) : null;
        return new JacobianStatistics(outputCount, featureCount, frobenius, largest, singularValues, rank, tolerance, condition, logAbsDeterminant);
    }

    /// <summary>Computes the statistics of a row-major single-precision <c>C x D</c> Jacobian.</summary>
    /// <param name="jacobian">J, row-major <c>[C, D]</c>.</param>
    /// <param name="outputCount">C.</param>
    /// <param name="featureCount">D.</param>
    /// <param name="rankTolerance">See <see cref="Compute(ReadOnlySpan{double}, int, int, double?)"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or the span length is not <c>C * D</c>.</exception>
    /// <exception cref="ArgumentException">The Jacobian contains NaN or infinity.</exception>
    public static JacobianStatistics Compute(ReadOnlySpan<float> jacobian, int outputCount, int featureCount, double? rankTolerance = null)
    {
        var widened = new double[jacobian.Length];
        for (int i = 0; i < jacobian.Length; i++) widened[i] = jacobian[i];
        return Compute(widened, outputCount, featureCount, rankTolerance);
    }

    /// <summary><c>log|det A| = sum_i log|u_ii|</c> from the LU factorization <c>PA = LU</c> (L has a unit diagonal).</summary>
    private static double LogAbsDeterminantOf(Matrix<double> square)
    {
        Matrix<double> upper = square.LU().U;
        double sum = 0;
        for (int i = 0; i < upper.RowCount; i++) sum += Math.Log(Math.Abs(upper[i, i]));
        return sum;
    }
}
