using MLNetJacobian.Training;

namespace MLNetJacobian.Tests.Training;

/// <summary>What <see cref="FaultyObjective"/> breaks once it starts failing.</summary>
internal enum Fault
{
    NanLoss,
    InfiniteGradient,
    HugeGradient,
}

/// <summary>Wraps an objective and, from a given call on, returns a NaN loss or a broken gradient.</summary>
internal sealed class FaultyObjective(SoftmaxRegressionObjective inner, int firstFaultyCall, Fault fault) : IBatchObjective<double>
{
    private int _calls;

    public int FeatureCount => inner.FeatureCount;

    public int OutputCount => inner.OutputCount;

    public OutputLoss Loss => inner.Loss;

    public int MaxBatchSize => inner.MaxBatchSize;

    public int ParameterCount => inner.ParameterCount;

    public BatchLoss Compute(ReadOnlySpan<double> features, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights, int rows,
        Span<double> gradient, Random random)
    {
        _calls++;
        BatchLoss loss = inner.Compute(features, targets, weights, rows, gradient, random);
        if (_calls < firstFaultyCall) return loss;
        switch (fault)
        {
            case Fault.NanLoss:
                return loss with { Loss = double.NaN };
            case Fault.InfiniteGradient:
                gradient[0] = double.PositiveInfinity;
                return loss;
            default:
                gradient.Fill(1e308);
                return loss;
        }
    }
}
