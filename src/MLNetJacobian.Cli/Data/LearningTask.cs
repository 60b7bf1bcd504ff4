namespace MLNetJacobian.Cli.Data;

/// <summary>What the label asks for (<c>--task</c>); inferred from the label when not given.</summary>
public enum LearningTask
{
    /// <summary>Classes (numbers or text): <c>MulticlassClassification.Trainers.JacobianRegularized</c>.</summary>
    Multiclass,

    /// <summary>A Boolean label (true/false or 1/0): <c>BinaryClassification.Trainers.JacobianRegularized</c>.</summary>
    Binary,

    /// <summary>A real-valued label: <c>Regression.Trainers.JacobianRegularized</c>.</summary>
    Regression,
}
