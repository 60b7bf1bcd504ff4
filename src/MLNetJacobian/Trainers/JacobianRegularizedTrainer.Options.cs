namespace MLNetJacobian.Trainers;

public sealed partial class JacobianRegularizedTrainer
{
    /// <summary>
    /// Everything <see cref="JacobianRegularizedTrainer"/> can be told: the shared settings of
    /// <see cref="JacobianRegularizedOptions"/> (the multiclass network's output has one logit per class, and the penalty
    /// may use random projections or the exact norm). The label is a key type (put <c>MapValueToKey</c> first) with at
    /// least 2 classes.
    /// </summary>
    public sealed class Options : JacobianRegularizedOptions
    {
    }
}
