using System.Numerics;
using MLNetJacobian.Network;

namespace MLNetJacobian.Training;

/// <summary>
/// Runs an <see cref="IParameterUpdate{T}"/> over the parameter buffer in slices, on up to <c>threads</c> threads.
/// </summary>
/// <remarks>
/// The update is element-wise and slices start at multiples of <see cref="SliceLength"/> (whole SIMD vectors and
/// cache lines), so the result is bit-identical to one pass whatever the thread count. Below
/// <see cref="MinimumParallelLength"/> parameters the update runs on the calling thread: waking a worker costs
/// more than it saves there. Allocates only on the first call (and when the parameter count grows).
/// </remarks>
internal sealed unsafe class SlicedParameterUpdate<T, TUpdate> : ShardJob
    where T : unmanaged, IFloatingPointIeee754<T>
    where TUpdate : struct, IParameterUpdate<T>
{
    /// <summary>Parameters per slice.</summary>
    public const int SliceLength = 16_384;

    /// <summary>The fewest parameters updated on more than one thread.</summary>
    public const int MinimumParallelLength = 4 * SliceLength;

    private bool[] _finite = [];
    private TUpdate _update;
    private T* _parameters, _gradient, _firstState, _secondState;
    private int _length;
    private bool _hasFirstState, _hasSecondState;

    /// <summary>Applies <paramref name="step"/> to every parameter; returns whether every updated parameter is finite.</summary>
    public bool Apply(TUpdate step, Span<T> parameterSpan, ReadOnlySpan<T> gradientSpan, Span<T> firstStateSpan, Span<T> secondStateSpan, int threads)
    {
        if (threads <= 1 || parameterSpan.Length < MinimumParallelLength)
        {
            return step.Apply(parameterSpan, gradientSpan, firstStateSpan, secondStateSpan);
        }

        int slices = (parameterSpan.Length + SliceLength - 1) / SliceLength;
        if (_finite.Length < slices) _finite = new bool[slices];
        fixed (T* p = parameterSpan)
        fixed (T* g = gradientSpan)
        fixed (T* first = firstStateSpan)
        fixed (T* second = secondStateSpan)
        {
            _update = step;
            _parameters = p;
            _gradient = g;
            _firstState = first;
            _secondState = second;
            _hasFirstState = !firstStateSpan.IsEmpty;
            _hasSecondState = !secondStateSpan.IsEmpty;
            _length = parameterSpan.Length;
            Run(slices, threads);
        }

        bool allFinite = true;
        for (int slice = 0; slice < slices; slice++) allFinite &= _finite[slice];
        return allFinite;
    }

    protected override void Execute(int chunk)
    {
        int start = chunk * SliceLength, count = Math.Min(SliceLength, _length - start);
        _finite[chunk] = _update.Apply(new Span<T>(_parameters + start, count), new ReadOnlySpan<T>(_gradient + start, count),
            _hasFirstState ? new Span<T>(_firstState + start, count) : [], _hasSecondState ? new Span<T>(_secondState + start, count) : []);
    }
}
