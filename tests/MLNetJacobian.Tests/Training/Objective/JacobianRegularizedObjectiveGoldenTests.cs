using System.Numerics;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Tests.Network;
using MLNetJacobian.Training;
using Xunit.Abstractions;

namespace MLNetJacobian.Tests.Training.Objective;

/// <summary>
/// The objective against the golden cases computed independently with PyTorch's double backward in float64:
/// logits, cross-entropy, penalty, loss and every weight and bias gradient, with the projections injected.
/// </summary>
public sealed class JacobianRegularizedObjectiveGoldenTests(ITestOutputHelper output)
{
    // Double: the engine and PyTorch evaluate the same formulas in float64 in different orders; errors are a few
    // hundred ulps at most, far below 1e-10. Float: inputs rounded to float (relative 6e-8) and float arithmetic
    // through three layers and a double backward stay below 1e-4 relative to each tensor's scale.
    private const double DoubleTolerance = 1e-10;
    private const double FloatTolerance = 1e-4;

    public static TheoryData<string> Cases() => new(GoldenCase.ObjectiveFileNames());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_GoldenCaseInDouble_MatchesLossAndEveryGradient(string fileName) =>
        Check<double>(GoldenCase.Load(fileName), DoubleTolerance);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_GoldenCaseInFloat_MatchesLossAndEveryGradient(string fileName) =>
        Check<float>(GoldenCase.Load(fileName), FloatTolerance);

    [Fact]
    public void ObjectiveFileNames_SharedData_FindsEveryObjectiveCase() =>
        Assert.True(GoldenCase.ObjectiveFileNames().Count() >= 6, "The golden objective cases are missing.");

    private void Check<T>(GoldenCase golden, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = FeedForwardNetwork<T>.FromParameters(golden.Architecture, NumericAssert.FromDouble<T>(golden.Parameters));
        int classCount = golden.Architecture.OutputSize, rows = golden.BatchSize;
        var options = new JacobianPenaltyOptions(golden.Lambda, golden.IsExact ? 1 : golden.ProjectionCount, golden.IsExact);
        var objective = new JacobianRegularizedObjective<T>(network, new ReferenceGemmProvider(), rows, options);
        if (!golden.IsExact)
        {
            objective.Projections = new FixedProjectionSource<T>(NumericAssert.FromDouble<T>(golden.Projections!),
                golden.ProjectionCount, rows, classCount);
        }

        var gradient = new T[network.ParameterCount];
        Array.Fill(gradient, T.NaN);   // the objective overwrites the gradient without reading it: no NaN may survive
        T[] weights = golden.ExampleWeights is null ? [] : NumericAssert.FromDouble<T>(golden.ExampleWeights);
        BatchLoss loss = objective.Compute(NumericAssert.FromDouble<T>(golden.Inputs), golden.Labels, weights, rows, gradient, new Random(1));

        var errors = new List<double>
        {
            NumericAssert.Close(golden.CrossEntropy, loss.CrossEntropy, tolerance, "cross-entropy"),
            NumericAssert.Close(golden.Lambda * golden.Penalty, loss.Penalty, tolerance, "penalty term"),
            NumericAssert.Close(2 * golden.Penalty, loss.JacobianNormSquared, tolerance, "mean ||J||^2 estimate"),
            NumericAssert.Close(golden.Loss, loss.Loss, tolerance, "loss"),
            NumericAssert.Close(golden.Gradient, NumericAssert.ToDouble<T>(gradient), tolerance, "gradient"),
        };
        IReadOnlyList<int> sizes = golden.Architecture.LayerSizes;
        int offset = 0;
        for (int l = 0; l + 1 < sizes.Count; l++)
        {
            int weightCount = sizes[l] * sizes[l + 1], biasCount = sizes[l + 1];
            errors.Add(NumericAssert.Close(golden.Gradient.AsSpan(offset, weightCount),
                NumericAssert.ToDouble<T>(gradient.AsSpan(offset, weightCount)), tolerance, $"dW_{l}"));
            errors.Add(NumericAssert.Close(golden.Gradient.AsSpan(offset + weightCount, biasCount),
                NumericAssert.ToDouble<T>(gradient.AsSpan(offset + weightCount, biasCount)), tolerance, $"db_{l}"));
            offset += weightCount + biasCount;
        }

        Assert.Equal(Math.Round(golden.Labels.Select((y, i) => IsArgMax(golden.Logits, i, classCount, y) ? 1.0 : 0).Sum()), loss.Correct);
        output.WriteLine($"{golden.Name} {typeof(T).Name}: max relative error {errors.Max():E2}");
    }

    private static bool IsArgMax(double[] logits, int row, int classCount, int label)
    {
        ReadOnlySpan<double> values = logits.AsSpan(row * classCount, classCount);
        return System.Numerics.Tensors.TensorPrimitives.IndexOfMax(values) == label;
    }
}
