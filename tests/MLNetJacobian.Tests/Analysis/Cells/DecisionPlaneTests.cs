using MLNetJacobian.Analysis;
using MLNetJacobian.Models;

namespace MLNetJacobian.Tests.Analysis;

public class DecisionPlaneTests
{
    [Fact]
    public void Random_SameSeed_SameOrthonormalDirections()
    {
        float[] x = Enumerable.Range(0, 20).Select(i => i / 20f).ToArray();

        DecisionPlane first = DecisionPlane.Random(x, seed: 3), again = DecisionPlane.Random(x, seed: 3), other = DecisionPlane.Random(x, seed: 4);

        AssertOrthonormal(first);
        Assert.Equal(first.Direction1.ToArray(), again.Direction1.ToArray());
        Assert.Equal(first.Direction2.ToArray(), again.Direction2.ToArray());
        Assert.NotEqual(first.Direction1.ToArray(), other.Direction1.ToArray());
        Assert.Equal(x, first.Origin.ToArray());
    }

    [Fact]
    public void TowardsExamples_TwoPoints_FirstDirectionPointsAtFirstExampleAndPlaneContainsBoth()
    {
        float[] x = [0, 0, 0], a = [2, 0, 0], b = [1, 3, 0];

        DecisionPlane plane = DecisionPlane.TowardsExamples(x, a, b);

        AssertOrthonormal(plane);
        Assert.Equal([1.0, 0, 0], plane.Direction1.ToArray());
        Assert.Equal([0, 1.0, 0], plane.Direction2.ToArray());
        var point = new float[3];
        plane.PointAt(1, 3, point);
        Assert.Equal(b, point);
    }

    [Fact]
    public void TopSingularDirections_TanhNetwork_StretchedBySigma1AndSigma2()
    {
        var network = new TanhTestNetwork(featureCount: 12, hidden: 10, classCount: 4, seed: 6, weightScale: 2);
        float[] x = Enumerable.Range(0, 12).Select(i => (float)Math.Sin(i)).ToArray();
        double[] outputs = new double[4], jacobian = new double[48];
        network.ComputeJacobian(x, outputs, jacobian);
        JacobianStatistics statistics = JacobianStatistics.Compute(jacobian, 4, 12);

        DecisionPlane plane = DecisionPlane.TopSingularDirections(x, network);

        AssertOrthonormal(plane);
        // |J v_k| = sigma_k for the right singular vectors; eigen-decomposition in double: 1e-9 relative.
        Assert.Equal(statistics.SingularValues[0], Norm(Multiply(jacobian, plane.Direction1.ToArray(), 4, 12)), 9);
        Assert.Equal(statistics.SingularValues[1], Norm(Multiply(jacobian, plane.Direction2.ToArray(), 4, 12)), 9);
    }

    [Fact]
    public void FromDirections_ZeroDirection_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => DecisionPlane.FromDirections(new float[3], [0, 0, 0], [1, 0, 0]));
        Assert.Equal("first", error.ParamName);
    }

    [Fact]
    public void FromDirections_ParallelDirections_ThrowsNamingSecond()
    {
        var error = Assert.Throws<ArgumentException>(() => DecisionPlane.FromDirections(new float[3], [1, 2, 3], [-2, -4, -6]));
        Assert.Equal("second", error.ParamName);
        Assert.Contains("parallel", error.Message);
    }

    [Fact]
    public void TowardsExamples_ExampleEqualToOrigin_Throws()
    {
        float[] x = [1, 2, 3];
        Assert.Throws<ArgumentException>(() => DecisionPlane.TowardsExamples(x, x, [0, 0, 0]));
    }

    [Fact]
    public void FromDirections_WrongLength_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => DecisionPlane.FromDirections(new float[3], [1, 0], [0, 1, 0]));
        Assert.Equal("first", error.ParamName);
    }

    [Fact]
    public void TopSingularDirections_ConstantModel_Throws()
    {
        var flat = new HalfSpaceClassifier([0, 0, 0], bias: 1);
        Assert.Throws<ArgumentException>(() => DecisionPlane.TopSingularDirections([1f, 2f, 3f], flat));
    }

    private static void AssertOrthonormal(DecisionPlane plane)
    {
        double[] d1 = plane.Direction1.ToArray(), d2 = plane.Direction2.ToArray();
        // Gram-Schmidt in double: 1e-12.
        Assert.Equal(1, Norm(d1), 12);
        Assert.Equal(1, Norm(d2), 12);
        Assert.Equal(0, d1.Zip(d2).Sum(p => p.First * p.Second), 12);
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));

    private static double[] Multiply(double[] matrix, double[] vector, int rows, int columns) =>
        Enumerable.Range(0, rows).Select(i => Enumerable.Range(0, columns).Sum(j => matrix[i * columns + j] * vector[j])).ToArray();
}
