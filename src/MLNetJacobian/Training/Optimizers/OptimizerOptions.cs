using System.Numerics;

namespace MLNetJacobian.Training;

/// <summary>
/// The choice of optimizer and its settings, independent of the element type; <see cref="NetworkTrainer{T}"/>
/// creates a fresh <see cref="IOptimizer{T}"/> from it for each training run.
/// </summary>
/// <remarks>
/// The settings are a record rather than an optimizer instance because an optimizer carries state sized to one
/// parameter buffer and typed by its element type, while options are shared, typeless and reusable.
/// </remarks>
internal abstract record OptimizerOptions
{
    /// <summary>Creates a new optimizer with these settings and empty state.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    public abstract IOptimizer<T> CreateOptimizer<T>() where T : unmanaged, IFloatingPointIeee754<T>;
}
