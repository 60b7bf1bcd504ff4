using MathNet.Numerics.LinearAlgebra;
using MLNetJacobian.Analysis;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Analysis;

public class JacobianStatisticsTests
{
    [Theory]
    [InlineData(10, 64, 1)]
    [InlineData(3, 3, 2)]
    [InlineData(7, 2, 3)]
    [InlineData(1, 5, 4)]
    public void Compute_RandomMatrix_SpectralAtMostFrobeniusAtMostSqrtRankTimesSpectral(int rows, int columns, int seed)
    {
        double[] matrix = RandomMatrix(rows, columns, seed);

        JacobianStatistics statistics = JacobianStatistics.Compute(matrix, rows, columns);

        // Relative slack 1e-12: both sides are computed in double, SVD error is ~1e-15 relative.
        Assert.True(statistics.SpectralNorm <= statistics.FrobeniusNorm * (1 + 1e-12));
        Assert.True(statistics.FrobeniusNorm <= Math.Sqrt(statistics.Rank) * statistics.SpectralNorm * (1 + 1e-12));
        Assert.Equal(Math.Min(rows, columns), statistics.SingularValues.Count);
        Assert.Equal(Math.Min(rows, columns), statistics.Rank);
        Assert.Equal(statistics.SpectralNorm, statistics.SingularValues[0]);
        Assert.True(statistics.SingularValues.Zip(statistics.SingularValues.Skip(1)).All(p => p.First >= p.Second));
        // ||J||_F^2 = sum sigma_k^2
        Assert.Equal(statistics.FrobeniusNorm * statistics.FrobeniusNorm, statistics.SingularValues.Sum(s => s * s), 1e-10 * statistics.FrobeniusNorm * statistics.FrobeniusNorm);
    }

    [Fact]
    public void Compute_RankTwoMatrix_RankTwoAndInfiniteConditionNumber()
    {
        // J = u1 v1^T + u2 v2^T: 5 x 6 with rank 2.
        double[] u = RandomMatrix(5, 2, 7), v = RandomMatrix(2, 6, 8);
        var matrix = new double[30];
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 6; j++)
                matrix[i * 6 + j] = u[i * 2] * v[j] + u[i * 2 + 1] * v[6 + j];

        JacobianStatistics statistics = JacobianStatistics.Compute(matrix, 5, 6);

        Assert.Equal(2, statistics.Rank);
        Assert.Equal(double.PositiveInfinity, statistics.ConditionNumber);
        Assert.True(statistics.FrobeniusNorm <= Math.Sqrt(2) * statistics.SpectralNorm * (1 + 1e-12));
        Assert.Null(statistics.LogAbsDeterminant);
    }

    [Fact]
    public void Compute_DiagonalMatrix_KnownSingularValuesConditionAndLogDeterminant()
    {
        double[] matrix = [3, 0, 0, 0, -2, 0, 0, 0, 0.5];

        JacobianStatistics statistics = JacobianStatistics.Compute(matrix, 3, 3);

        Assert.Equal([3, 2, 0.5], statistics.SingularValues.Select(s => Math.Round(s, 12)));
        Assert.Equal(6, statistics.ConditionNumber, 12);
        Assert.Equal(Math.Log(3.0), statistics.LogAbsDeterminant!.Value, 12);
        Assert.Equal(Math.Sqrt(9 + 4 + 0.25), statistics.FrobeniusNorm, 12);
    }

    [Fact]
    public void Compute_SquareTanhNetworkJacobian_LogAbsDeterminantMatchesDirectDeterminant()
    {
        var network = new TanhTestNetwork(featureCount: 6, hidden: 9, classCount: 6, seed: 11, weightScale: 2);
        var random = new Random(5);
        for (int example = 0; example < 5; example++)
        {
            float[] x = Enumerable.Range(0, 6).Select(_ => (float)random.NextDouble()).ToArray();
            var outputs = new double[6];
            var jacobian = new double[36];
            network.ComputeJacobian(x, outputs, jacobian);

            JacobianStatistics statistics = JacobianStatistics.Compute(jacobian, 6, 6);

            double direct = Math.Log(Math.Abs(Matrix<double>.Build.DenseOfRowMajor(6, 6, jacobian).Determinant()));
            // LU with pivoting vs MathNet's determinant: both backward stable; 1e-9 absolute on a log of order 1.
            Assert.Equal(direct, statistics.LogAbsDeterminant!.Value, 9);
            Assert.Equal(statistics.SingularValues.Sum(Math.Log), statistics.LogAbsDeterminant.Value, 9);
        }
    }

    [Fact]
    public void Compute_HugeSquareMatrix_LogDeterminantFiniteWhereDeterminantOverflows()
    {
        const int size = 40;
        var matrix = new double[size * size];
        for (int i = 0; i < size; i++) matrix[i * size + i] = 1e10;

        JacobianStatistics statistics = JacobianStatistics.Compute(matrix, size, size);

        Assert.True(double.IsInfinity(Matrix<double>.Build.DenseOfRowMajor(size, size, matrix).Determinant()));
        Assert.Equal(size * Math.Log(1e10), statistics.LogAbsDeterminant!.Value, 9);
    }

    [Fact]
    public void Compute_SingularSquareMatrix_LogDeterminantNegativeInfinity()
    {
        double[] matrix = [1, 2, 2, 4];

        JacobianStatistics statistics = JacobianStatistics.Compute(matrix, 2, 2);

        Assert.Equal(1, statistics.Rank);
        Assert.Equal(double.PositiveInfinity, statistics.ConditionNumber);
        Assert.True(statistics.LogAbsDeterminant < -30, $"log|det| = {statistics.LogAbsDeterminant}");
    }

    [Fact]
    public void Compute_WrongLength_ThrowsNamingJacobian()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => JacobianStatistics.Compute(new double[5], 2, 3));
        Assert.Equal("jacobian", error.ParamName);
        Assert.Contains("6", error.Message);
    }

    [Fact]
    public void Compute_NaNEntry_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => JacobianStatistics.Compute([1, double.NaN], 1, 2));
        Assert.Equal("jacobian", error.ParamName);
    }

    [Fact]
    public void SoftmaxApply_TanhNetwork_MatchesFiniteDifferenceOfProbabilitiesAndRowsSumToZero()
    {
        var network = new TanhTestNetwork(featureCount: 5, hidden: 7, classCount: 4, seed: 2);
        float[] x = [0.1f, -0.4f, 0.3f, 0.9f, -0.2f];
        var logits = new double[4];
        var jacobian = new double[20];
        network.ComputeJacobian(x, logits, jacobian);
        var probabilities = new double[4];
        var probabilityJacobian = new double[20];

        SoftmaxJacobian.Apply(logits, jacobian, probabilities, probabilityJacobian);

        const double step = 1e-6;
        for (int j = 0; j < 5; j++)
        {
            double[] plus = Probabilities(network, x, j, step), minus = Probabilities(network, x, j, -step);
            for (int i = 0; i < 4; i++)
            {
                // Double-precision central difference with h = 1e-6 on a smooth function: error ~1e-10.
                Assert.Equal((plus[i] - minus[i]) / (2 * step), probabilityJacobian[i * 5 + j], 8);
            }

            Assert.Equal(0, Enumerable.Range(0, 4).Sum(i => probabilityJacobian[i * 5 + j]), 12);
        }

        Assert.Equal(1, probabilities.Sum(), 12);
    }

    private static double[] Probabilities(TanhTestNetwork network, float[] x, int feature, double shift)
    {
        double[] shifted = x.Select(v => (double)v).ToArray();
        shifted[feature] += shift;
        var logits = new double[network.OutputCount];
        network.ComputeAt(shifted, logits);
        double max = logits.Max();
        double[] e = logits.Select(z => Math.Exp(z - max)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    internal static double[] RandomMatrix(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * columns).Select(_ => 2 * random.NextDouble() - 1).ToArray();
    }
}
