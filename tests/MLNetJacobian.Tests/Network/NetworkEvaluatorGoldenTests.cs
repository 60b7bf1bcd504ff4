using System.Numerics;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using Xunit.Abstractions;

namespace MLNetJacobian.Tests.Network;

/// <summary>
/// The evaluator's logits (or one output), exact Jacobians and their norms against the golden cases: multiclass,
/// and the binary and regression cases whose Jacobian is one row.
/// </summary>
public sealed class NetworkEvaluatorGoldenTests(ITestOutputHelper output)
{
    // Same justification as the objective's golden tests: float64 reorderings stay below 1e-10; float below 1e-4.
    private const double DoubleTolerance = 1e-10;
    private const double FloatTolerance = 1e-4;

    public static TheoryData<string> Cases() => new(GoldenCase.ObjectiveFileNames().Concat(GoldenCase.OneOutputFileNames()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void ComputeJacobians_GoldenCaseInDouble_MatchesLogitsJacobiansAndNorms(string fileName) =>
        Check<double>(GoldenCase.Load(fileName), DoubleTolerance);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ComputeJacobians_GoldenCaseInFloat_MatchesLogitsJacobiansAndNorms(string fileName) =>
        Check<float>(GoldenCase.Load(fileName), FloatTolerance);

    private void Check<T>(GoldenCase golden, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = FeedForwardNetwork<T>.FromParameters(golden.Architecture, NumericAssert.FromDouble<T>(golden.Parameters));
        int rows = golden.BatchSize, classCount = golden.Architecture.OutputSize, inputSize = golden.Architecture.InputSize;
        var evaluator = new NetworkEvaluator<T>(network, new ReferenceGemmProvider(), rows);
        T[] x = NumericAssert.FromDouble<T>(golden.Inputs);
        var logits = new T[rows * classCount];
        var jacobians = new T[rows * classCount * inputSize];
        var norms = new double[rows];
        evaluator.ComputeLogits(x, rows, logits);
        evaluator.ComputeJacobians(x, rows, jacobians);
        evaluator.ComputeJacobianFrobeniusNormsSquared(x, rows, norms);
        double[] errors =
        [
            NumericAssert.Close(golden.Logits, NumericAssert.ToDouble<T>(logits), tolerance, "logits"),
            NumericAssert.Close(golden.Jacobians, NumericAssert.ToDouble<T>(jacobians), tolerance, "Jacobians"),
            NumericAssert.Close(golden.JacobianFrobeniusSquared, norms, tolerance, "||J||_F^2"),
        ];
        var single = new T[classCount * inputSize];
        evaluator.ComputeJacobian(x.AsSpan((rows - 1) * inputSize, inputSize), single);
        NumericAssert.Close(golden.Jacobians.AsSpan((rows - 1) * classCount * inputSize), NumericAssert.ToDouble<T>(single), tolerance, "single Jacobian");
        output.WriteLine($"{golden.Name} {typeof(T).Name}: max relative error {errors.Max():E2}");
    }
}
