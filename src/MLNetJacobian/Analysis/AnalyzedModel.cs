using MLNetJacobian.Trainers;

namespace MLNetJacobian.Analysis;

/// <summary>A model to compare in <see cref="ModelComparison"/>.</summary>
/// <param name="Name">The name shown in tables and figure titles.</param>
/// <param name="Classifier">The model as a batch classifier (an <see cref="MLNetClassifier"/> or a <see cref="NetworkClassifier{T}"/>).</param>
/// <param name="JacobianSource">
/// Where its Jacobians come from (exact for this library's networks and linear models, or a
/// <see cref="FiniteDifferenceJacobianSource"/>); null to skip the Jacobian statistics and the gradient direction.
/// </param>
public sealed record AnalyzedModel(string Name, IBatchClassifier Classifier, IJacobianSource? JacobianSource = null)
{
    /// <summary>
    /// A model trained by this library's ML.NET trainer, analyzed through its network: exact logits and Jacobians
    /// (a <see cref="NetworkClassifier{T}"/> over <see cref="JacobianRegularizedModelParameters.CreateNetwork"/>).
    /// </summary>
    /// <param name="name">The name shown in tables and figures.</param>
    /// <param name="model">The trained model's parameters (<c>transformer.Model</c>).</param>
    public static AnalyzedModel FromJacobianRegularized(string name, JacobianRegularizedModelParameters model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var classifier = new NetworkClassifier<float>(model.CreateNetwork(), model.ClassNames);
        return new AnalyzedModel(name, classifier, classifier);
    }
}
