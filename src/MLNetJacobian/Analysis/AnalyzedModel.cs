using MLNetJacobian.Models;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Analysis;

/// <summary>A model to compare in <see cref="ModelComparison"/>.</summary>
/// <param name="Name">The name shown in tables and figure titles.</param>
/// <param name="Model">
/// The model. When it is an <see cref="IJacobianModel"/> (this library's networks and linear models exactly, any
/// other model wrapped in a <see cref="FiniteDifferenceJacobian"/>), its Jacobian statistics and gradient direction
/// are reported too.
/// </param>
public sealed record AnalyzedModel(string Name, IModel Model)
{
    /// <summary>The model's Jacobian, or null when it gives none (the Jacobian statistics and gradient direction are then skipped).</summary>
    public IJacobianModel? Jacobian => Model as IJacobianModel;

    /// <summary>
    /// A model trained by this library's ML.NET trainer, analyzed through its network: exact logits and Jacobians
    /// (<see cref="JacobianRegularizedModelParameters.CreateModel"/>).
    /// </summary>
    /// <param name="name">The name shown in tables and figures.</param>
    /// <param name="model">The trained model's parameters (<c>transformer.Model</c>).</param>
    public static AnalyzedModel FromJacobianRegularized(string name, JacobianRegularizedModelParameters model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new AnalyzedModel(name, new NetworkModel<float>(model.CreateNetwork(), model.ClassNames, maxBatchSize: 512));
    }
}
