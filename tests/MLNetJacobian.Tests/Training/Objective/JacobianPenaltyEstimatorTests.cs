using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Tests.Network;
using MLNetJacobian.Training;
using Xunit.Abstractions;

namespace MLNetJacobian.Tests.Training.Objective;

/// <summary>
/// The random-projection estimator of <c>||J||_F^2</c>: unbiased with the variance of docs/jacobian-math.md, exact
/// mode equal to the sum over basis vectors.
/// </summary>
public sealed class JacobianPenaltyEstimatorTests(ITestOutputHelper output)
{
    private static readonly NetworkArchitecture Architecture = new(5, [7, 6], 4, Activation.Tanh);

    [Fact]
    public void Compute_SingleProjectionOverManyDraws_MeanEqualsExactNormSquared()
    {
        var testCase = ObjectiveTestCase.Create(Architecture, 1, seed: 11);
        double[] jacobian = ExactJacobian(testCase);
        double exact = jacobian.Sum(v => v * v);
        double variance = SingleDrawVariance(jacobian, Architecture.OutputSize, Architecture.InputSize);

        // 16 identical rows per batch: each batch's estimate is the mean of 16 independent single-projection draws.
        const int rowsPerBatch = 16, batches = 250;
        double[] x = Enumerable.Repeat(testCase.Inputs, rowsPerBatch).SelectMany(row => row).ToArray();
        double[] labels = new double[rowsPerBatch];
        var objective = new JacobianRegularizedObjective<double>(testCase.Network, new ReferenceGemmProvider(), rowsPerBatch,
            new JacobianPenaltyOptions(0.1, ProjectionCount: 1));
        var gradient = new double[objective.ParameterCount];
        var random = new Random(12);
        double sum = 0;
        for (int b = 0; b < batches; b++) sum += objective.Compute(x, labels, [], rowsPerBatch, gradient, random).JacobianNormSquared;

        // Five standard errors of the mean of all draws: a false failure has probability below 1e-6.
        double mean = sum / batches, standardError = Math.Sqrt(variance / (rowsPerBatch * batches));
        output.WriteLine($"exact {exact:F6}, mean of {rowsPerBatch * batches} draws {mean:F6}, standard error {standardError:E2}");
        Assert.True(Math.Abs(mean - exact) <= 5 * standardError, $"Mean {mean} differs from {exact} by more than 5 x {standardError:E2}.");
    }

    [Fact]
    public void Compute_SingleProjection_SampleVarianceMatchesFormula()
    {
        var testCase = ObjectiveTestCase.Create(Architecture, 1, seed: 13);
        double[] jacobian = ExactJacobian(testCase);
        double variance = SingleDrawVariance(jacobian, Architecture.OutputSize, Architecture.InputSize);
        var objective = new JacobianRegularizedObjective<double>(testCase.Network, new ReferenceGemmProvider(), 1,
            new JacobianPenaltyOptions(0.1, ProjectionCount: 1));
        var gradient = new double[objective.ParameterCount];
        var random = new Random(14);
        const int draws = 4000;
        double[] estimates = new double[draws];
        for (int n = 0; n < draws; n++) estimates[n] = objective.Compute(testCase.Inputs, [0], [], 1, gradient, random).JacobianNormSquared;
        double mean = estimates.Average();
        double sampleVariance = estimates.Sum(e => (e - mean) * (e - mean)) / (draws - 1);
        double fourthMoment = estimates.Sum(e => Math.Pow(e - mean, 4)) / draws;
        // The standard error of a sample variance is sqrt((m4 - s^4) / n), estimated from the draws themselves.
        double standardError = Math.Sqrt((fourthMoment - sampleVariance * sampleVariance) / draws);
        output.WriteLine($"variance: formula {variance:E4}, sample {sampleVariance:E4}, standard error {standardError:E2}");
        Assert.True(Math.Abs(sampleVariance - variance) <= 5 * standardError,
            $"Sample variance {sampleVariance} differs from the formula's {variance} by more than 5 x {standardError:E2}.");
        Assert.True(variance < 2 * Math.Pow(jacobian.Sum(v => v * v), 2), "The relative variance of one draw is below 2.");
    }

    [Fact]
    public void Compute_ExactNorm_EqualsSumOverBasisVectorsAndEvaluatorNorm()
    {
        const int rows = 3;
        var testCase = ObjectiveTestCase.Create(Architecture, rows, seed: 15);
        int classCount = Architecture.OutputSize;
        var exactObjective = new JacobianRegularizedObjective<double>(testCase.Network, new ReferenceGemmProvider(), rows,
            new JacobianPenaltyOptions(0.3, ExactNorm: true));
        var basis = new double[classCount * rows * classCount];
        for (int k = 0; k < classCount; k++)
        {
            for (int i = 0; i < rows; i++) basis[(k * rows + i) * classCount + k] = 1;
        }

        var basisObjective = new JacobianRegularizedObjective<double>(testCase.Network, new ReferenceGemmProvider(), rows,
            new JacobianPenaltyOptions(0.3, ProjectionCount: classCount))
        {
            Projections = new FixedProjectionSource<double>(basis, classCount, rows, classCount),
        };
        var exactGradient = new double[testCase.Network.ParameterCount];
        var basisGradient = new double[testCase.Network.ParameterCount];
        BatchLoss exact = exactObjective.Compute(testCase.Inputs, testCase.Targets, testCase.Weights, rows, exactGradient, new Random(1));
        BatchLoss fromBasis = basisObjective.Compute(testCase.Inputs, testCase.Targets, testCase.Weights, rows, basisGradient, new Random(1));

        var norms = new double[rows];
        new NetworkEvaluator<double>(testCase.Network, new ReferenceGemmProvider(), rows)
            .ComputeJacobianFrobeniusNormsSquared(testCase.Inputs, rows, norms);
        double weightedMean = norms.Select((n, i) => n * testCase.Weights[i]).Sum() / testCase.Weights.Sum();

        // Both paths sum the same squares in the same order; only the final weighting differs in rounding.
        NumericAssert.Close(fromBasis.JacobianNormSquared, exact.JacobianNormSquared, 1e-14, "exact vs basis projections");
        NumericAssert.Close(weightedMean, exact.JacobianNormSquared, 1e-14, "exact vs evaluator norms");
        NumericAssert.Close(basisGradient, exactGradient, 1e-14, "gradients");
    }

    [Fact]
    public void Fill_UnitSphere_VectorsHaveUnitNormAndSecondMomentIdentityOverC()
    {
        const int classCount = 3, rows = 2000;
        var vectors = new double[rows * classCount];
        new UnitSphereProjectionSource<double>().Fill(vectors, 1, rows, classCount, new Random(5));
        var secondMoment = new double[classCount * classCount];
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<double> v = vectors.AsSpan(i * classCount, classCount);
            Assert.Equal(1.0, Math.Sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]), 12);
            for (int a = 0; a < classCount; a++)
            {
                for (int b = 0; b < classCount; b++) secondMoment[a * classCount + b] += v[a] * v[b] / rows;
            }
        }

        // Each entry of v v^T is bounded by 1, so its mean over 2000 draws has standard error below 1/sqrt(2000) = 0.022.
        for (int a = 0; a < classCount; a++)
        {
            for (int b = 0; b < classCount; b++) Assert.Equal(a == b ? 1.0 / classCount : 0, secondMoment[a * classCount + b], 0.11);
        }
    }

    [Fact]
    public void Fill_SingleClass_ProjectionIsOne()
    {
        var vectors = new float[6];
        new UnitSphereProjectionSource<float>().Fill(vectors, 2, 3, 1, new Random(1));
        Assert.All(vectors, v => Assert.Equal(1f, v));
    }

    /// <summary><c>2/(C+2) (C tr(A^2) - (tr A)^2)</c>, <c>A = J J^T</c>: the variance of <c>C ||J^T v||^2</c>, v uniform on S^(C-1).</summary>
    internal static double SingleDrawVariance(double[] jacobian, int rowsOfJ, int columnsOfJ)
    {
        var a = new double[rowsOfJ * rowsOfJ];
        for (int r = 0; r < rowsOfJ; r++)
        {
            for (int s = 0; s < rowsOfJ; s++)
            {
                for (int j = 0; j < columnsOfJ; j++) a[r * rowsOfJ + s] += jacobian[r * columnsOfJ + j] * jacobian[s * columnsOfJ + j];
            }
        }

        double trace = 0, traceOfSquare = 0;
        for (int r = 0; r < rowsOfJ; r++)
        {
            trace += a[r * rowsOfJ + r];
            for (int s = 0; s < rowsOfJ; s++) traceOfSquare += a[r * rowsOfJ + s] * a[s * rowsOfJ + r];
        }

        return 2.0 / (rowsOfJ + 2) * (rowsOfJ * traceOfSquare - trace * trace);
    }

    private static double[] ExactJacobian(ObjectiveTestCase testCase)
    {
        var jacobian = new double[testCase.Network.OutputSize * testCase.Network.InputSize];
        new NetworkEvaluator<double>(testCase.Network, new ReferenceGemmProvider(), 1).ComputeJacobian(testCase.Inputs, jacobian);
        return jacobian;
    }
}
