namespace MLNetJacobian.Trainers;

/// <summary>The optimizer of <see cref="JacobianRegularizedTrainer"/>.</summary>
public enum OptimizerAlgorithm
{
    /// <summary>
    /// Stochastic gradient descent with momentum (PyTorch semantics: <c>v = mu v + g</c>, <c>p -= lr v</c>, weight decay
    /// added to the gradient), optionally Nesterov. The reference implementation's choice and the default.
    /// </summary>
    Sgd,

    /// <summary>Adam (Kingma and Ba), with bias correction; weight decay added to the gradient.</summary>
    Adam,
}
