using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// An optimizer's update as an element-wise pass over the parameters, their gradient and up to two state buffers,
/// so that it can run on any slice of them (<see cref="SlicedParameterUpdate{T, TUpdate}"/>).
/// </summary>
internal interface IParameterUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Updates one slice in place; returns whether every updated parameter of the slice is finite.</summary>
    /// <param name="parameters">The parameters of the slice.</param>
    /// <param name="gradient">Their gradient.</param>
    /// <param name="firstState">The first state buffer's slice (empty when the optimizer has none).</param>
    /// <param name="secondState">The second state buffer's slice (empty when the optimizer has none).</param>
    bool Apply(Span<T> parameters, ReadOnlySpan<T> gradient, Span<T> firstState, Span<T> secondState);
}

/// <summary>An optimizer that can update the parameters in parallel slices.</summary>
internal interface ISlicedOptimizer
{
    /// <summary>Threads of the update (1: one pass on the calling thread).</summary>
    int Threads { get; set; }
}
