using System.Numerics;
using MLNetJacobian.Training;

namespace MLNetJacobian.Tests.Training.Sharding;

/// <summary>Passes every call to an objective, handing it a <see cref="RecordingRandom"/> that records its bounded draws.</summary>
internal sealed class RecordingObjective<T>(IBatchObjective<T> inner) : IBatchObjective<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public IBatchObjective<T> Inner => inner;

    /// <summary>The <c>Next(min, max)</c> results of the last call, in order.</summary>
    public List<int> LastDraws { get; } = [];

    public int FeatureCount => inner.FeatureCount;

    public int OutputCount => inner.OutputCount;

    public OutputLoss Loss => inner.Loss;

    public int MaxBatchSize => inner.MaxBatchSize;

    public int ParameterCount => inner.ParameterCount;

    public BatchLoss Compute(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, int rows, Span<T> gradient, Random random)
    {
        LastDraws.Clear();
        return inner.Compute(features, targets, weights, rows, gradient, new RecordingRandom(random, LastDraws));
    }
}

/// <summary>Delegates to another <see cref="Random"/> and records every <c>Next(min, max)</c> result.</summary>
internal sealed class RecordingRandom(Random inner, List<int> draws) : Random
{
    public override int Next(int minValue, int maxValue)
    {
        int value = inner.Next(minValue, maxValue);
        draws.Add(value);
        return value;
    }

    public override int Next() => inner.Next();

    public override int Next(int maxValue) => inner.Next(maxValue);

    public override double NextDouble() => inner.NextDouble();

    public override long NextInt64() => inner.NextInt64();

    protected override double Sample() => inner.NextDouble();
}

/// <summary>A <see cref="Random"/> whose <c>Next(min, max)</c> returns a script; any other draw fails the test.</summary>
internal sealed class ScriptedRandom(IEnumerable<int> script) : Random
{
    private readonly Queue<int> _values = new(script);

    public override int Next(int minValue, int maxValue)
    {
        int value = _values.Dequeue();
        Assert.InRange(value, minValue, maxValue - 1);
        return value;
    }

    public override int Next() => throw new InvalidOperationException("Unscripted draw.");

    public override int Next(int maxValue) => throw new InvalidOperationException("Unscripted draw.");

    public override double NextDouble() => throw new InvalidOperationException("Unscripted draw.");

    public override long NextInt64() => throw new InvalidOperationException("Unscripted draw.");

    protected override double Sample() => throw new InvalidOperationException("Unscripted draw.");
}
