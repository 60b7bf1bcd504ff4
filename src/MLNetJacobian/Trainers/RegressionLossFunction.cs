namespace MLNetJacobian.Trainers;

/// <summary>The data loss of <see cref="JacobianRegularizedRegressionTrainer"/>.</summary>
public enum RegressionLossFunction
{
    /// <summary><c>(z - y)^2</c>, without a factor 1/2.</summary>
    SquaredError,

    /// <summary>Huber: <c>(z - y)^2 / 2</c> within <c>HuberDelta</c>, linear beyond (robust to outlying labels).</summary>
    Huber,
}
