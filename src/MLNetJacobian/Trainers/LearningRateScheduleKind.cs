namespace MLNetJacobian.Trainers;

/// <summary>How <see cref="JacobianRegularizedTrainer"/> changes the learning rate during training.</summary>
public enum LearningRateScheduleKind
{
    /// <summary>The learning rate stays at its base value (the reference implementation's choice and the default).</summary>
    Constant,

    /// <summary>
    /// The rate is multiplied by <c>StepDecayFactor</c> each time training passes one of <c>StepDecayFractions</c>
    /// of its steps.
    /// </summary>
    StepDecay,

    /// <summary>Cosine annealing from the base rate to 0 over all steps: <c>lr = base (1 + cos(pi t / T)) / 2</c>.</summary>
    Cosine,
}
