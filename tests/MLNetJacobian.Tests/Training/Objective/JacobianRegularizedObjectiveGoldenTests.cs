using System.Numerics;
using MLNetJacobian.Compute;
using MLNetJacobian.Network;
using MLNetJacobian.Tests.Network;
using MLNetJacobian.Training;
using Xunit.Abstractions;

namespace MLNetJacobian.Tests.Training.Objective;

/// <summary>
/// The objective against the golden cases computed independently with PyTorch's double backward in float64:
/// logits, data loss, penalty, loss and every weight and bias gradient, with the projections injected. Multiclass
/// cases use the softmax cross-entropy; the binary (sigmoid log-loss) and regression (squared error, Huber) cases have
/// one output, so their penalty is exact with no projection.
/// </summary>
public sealed class JacobianRegularizedObjectiveGoldenTests(ITestOutputHelper output)
{
    // Double: the engine and PyTorch evaluate the same formulas in float64 in different orders; errors are a few
    // hundred ulps at most, far below 1e-10. Float: inputs rounded to float (relative 6e-8) and float arithmetic
    // through three layers and a double backward stay below 1e-4 relative to each tensor's scale.
    private const double DoubleTolerance = 1e-10;
    private const double FloatTolerance = 1e-4;

    public static TheoryData<string> Cases() => new(GoldenCase.ObjectiveFileNames());

    public static TheoryData<string> OneOutputCases() => new(GoldenCase.OneOutputFileNames());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_GoldenCaseInDouble_MatchesLossAndEveryGradient(string fileName) =>
        Check<double>(GoldenCase.Load(fileName), DoubleTolerance);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_GoldenCaseInFloat_MatchesLossAndEveryGradient(string fileName) =>
        Check<float>(GoldenCase.Load(fileName), FloatTolerance);

    [Theory]
    [MemberData(nameof(OneOutputCases))]
    public void Compute_OneOutputGoldenCaseInDouble_MatchesLossAndEveryGradient(string fileName) =>
        Check<double>(GoldenCase.Load(fileName), DoubleTolerance);

    [Theory]
    [MemberData(nameof(OneOutputCases))]
    public void Compute_OneOutputGoldenCaseInFloat_MatchesLossAndEveryGradient(string fileName) =>
        Check<float>(GoldenCase.Load(fileName), FloatTolerance);

    [Fact]
    public void ObjectiveFileNames_SharedData_FindsEveryObjectiveCase() =>
        Assert.True(GoldenCase.ObjectiveFileNames().Count() >= 6, "The golden objective cases are missing.");

    [Fact]
    public void OneOutputFileNames_SharedData_FindsTheBinaryAndRegressionCases()
    {
        string[] names = GoldenCase.OneOutputFileNames().ToArray();
        Assert.True(names.Count(name => name.StartsWith("binary_", StringComparison.Ordinal)) >= 2, "The golden binary cases are missing.");
        Assert.True(names.Count(name => name.StartsWith("regression_", StringComparison.Ordinal)) >= 3, "The golden regression cases are missing.");
        Assert.Contains(names, name => GoldenCase.Load(name).HuberDelta is not null);
    }

    private void Check<T>(GoldenCase golden, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = FeedForwardNetwork<T>.FromParameters(golden.Architecture, NumericAssert.FromDouble<T>(golden.Parameters));
        int classCount = golden.Architecture.OutputSize, rows = golden.BatchSize;
        // One output: the default settings (no exact norm asked for) must already give the exact penalty.
        var options = classCount == 1
            ? new JacobianPenaltyOptions(golden.Lambda)
            : new JacobianPenaltyOptions(golden.Lambda, golden.IsExact ? 1 : golden.ProjectionCount, golden.IsExact);
        var objective = new JacobianRegularizedObjective<T>(network, new ReferenceGemmProvider(), rows, options, golden.OutputLoss);
        if (!golden.IsExact)
        {
            objective.Projections = new FixedProjectionSource<T>(NumericAssert.FromDouble<T>(golden.Projections!),
                golden.ProjectionCount, rows, classCount);
        }

        var gradient = new T[network.ParameterCount];
        Array.Fill(gradient, T.NaN);   // the objective overwrites the gradient without reading it: no NaN may survive
        T[] weights = golden.ExampleWeights is null ? [] : NumericAssert.FromDouble<T>(golden.ExampleWeights);
        BatchLoss loss = objective.Compute(NumericAssert.FromDouble<T>(golden.Inputs), NumericAssert.FromDouble<T>(golden.Targets), weights,
            rows, gradient, new Random(1));

        var errors = new List<double>
        {
            NumericAssert.Close(golden.CrossEntropy, loss.DataLoss, tolerance, "data loss"),
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

        Assert.Equal(ExpectedCorrect(golden), loss.Correct);
        output.WriteLine($"{golden.Name} {typeof(T).Name}: max relative error {errors.Max():E2}");
    }

    /// <summary>Rows predicted right: argmax = label (multiclass), output &gt; 0 exactly for label 1 (binary), none for regression.</summary>
    private static int ExpectedCorrect(GoldenCase golden) => golden.Task switch
    {
        "multiclass" => golden.Labels.Where((y, i) => IsArgMax(golden.Logits, i, golden.Architecture.OutputSize, y)).Count(),
        "binary" => golden.Targets.Where((y, i) => golden.Logits[i] > 0 == y > 0.5).Count(),
        _ => 0,
    };

    private static bool IsArgMax(double[] logits, int row, int classCount, int label)
    {
        ReadOnlySpan<double> values = logits.AsSpan(row * classCount, classCount);
        return System.Numerics.Tensors.TensorPrimitives.IndexOfMax(values) == label;
    }
}
